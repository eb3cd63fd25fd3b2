import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { projectRoot } from './support/assistant';

const srcDir = path.join(projectRoot, 'src');
const LAYERS = ['domain', 'infrastructure', 'conversation', 'channels'];

/** ESLint's verdict on a file that is not on disk, as `npm run lint` would give it. */
function lintErrors(fileName: string, code: string): string[] {
  try {
    execFileSync(
      process.execPath,
      [
        path.join(projectRoot, 'node_modules', 'eslint', 'bin', 'eslint.js'),
        '--format',
        'json',
        '--stdin',
        '--stdin-filename',
        fileName,
      ],
      { cwd: projectRoot, input: code, encoding: 'utf8' },
    );
    return [];
  } catch (error) {
    const stdout = (error as { stdout?: string }).stdout ?? '[]';
    const results = JSON.parse(stdout) as { messages: { ruleId: string | null }[] }[];
    return results.flatMap((result) => result.messages.map((message) => message.ruleId ?? 'fatal'));
  }
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** The src/ files a file imports (relative imports only). */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
  return info.importedFiles
    .map((imported) => imported.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => path.resolve(path.dirname(file), name))
    .map((target) => (fs.existsSync(`${target}.ts`) ? `${target}.ts` : path.join(target, 'index.ts')))
    .filter((target) => fs.existsSync(target));
}

describe('the layers of src/', () => {
  it.each([
    ['src/domain/diagnosis/wrongWay.ts', "import { MainDialog } from '../../conversation/mainDialog';"],
    ['src/domain/replies/wrongWay.ts', "import { readSettings } from '../../infrastructure/config';"],
    ['src/domain/recognition/wrongWay.ts', "import type { TurnContext } from 'botbuilder';"],
    ['src/infrastructure/records/wrongWay.ts', "import { MainDialog } from '../../conversation/mainDialog';"],
    ['src/conversation/wrongWay.ts', "import { createServer } from '../channels/server/createServer';"],
    ['src/conversation/wrongWay.ts', "import { createAssistant } from '../app';"],
  ])('a wrong-way import in %s fails the lint: %s', (fileName, importLine) => {
    expect(
      lintErrors(
        fileName,
        `${importLine}\nexport const used = [${importLine.match(/\{ (?:type )?(\w+)/)?.[1] ?? ''}];\n`,
      ),
    ).toContain('no-restricted-imports');
  });

  it.each([
    ['src/conversation/rightWay.ts', "import { diagnose } from '../domain/diagnosis/diagnosis';"],
    ['src/channels/server/rightWay.ts', "import { MainDialog } from '../../conversation/mainDialog';"],
    ['src/infrastructure/rightWay.ts', "import { pendingTickets } from '../domain/helpdesk/ticket';"],
  ])('a right-way import in %s passes: %s', (fileName, importLine) => {
    const name = importLine.match(/\{ (\w+)/)?.[1] ?? '';
    expect(lintErrors(fileName, `${importLine}\nexport const used = [${name}];\n`)).toEqual([]);
  });

  it('every file lives in a layer (or is the composition root) and every layer says what it may import', () => {
    const outside = sourceFiles(srcDir)
      .map((file) => path.relative(srcDir, file).split(path.sep))
      .filter((parts) => parts.length > 1 && !LAYERS.includes(parts[0] ?? ''))
      .map((parts) => parts.join('/'));
    expect(outside).toEqual([]);
    for (const layer of LAYERS) {
      expect(fs.readFileSync(path.join(srcDir, layer, 'README.md'), 'utf8')).toMatch(/import/);
    }
  });

  it('no module imports itself through others (no cycles)', () => {
    const graph = new Map(sourceFiles(srcDir).map((file) => [file, importsOf(file)]));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, trail: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        const start = trail.indexOf(file);
        cycles.push([...trail.slice(start), file].map((f) => path.relative(srcDir, f)).join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) visit(next, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(graph.size).toBeGreaterThan(50);
    expect(cycles).toEqual([]);
  });
});
