import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import type { KnowledgeBase } from './knowledgeBase';

const rulesSchema = z
  .object({
    modules: z.record(z.string(), z.array(z.string().regex(/^[A-Z][A-Za-z]+-[A-Za-z0-9]+$/)).min(1)),
    cmdletPrefixes: z.array(z.string().min(1)).min(1),
    proxyBlind: z.array(z.string()),
    proxyWords: z.array(z.string().min(1)).min(1),
    between: z.record(z.string(), z.array(z.string().min(1))),
  })
  .strict();

/** knowledge/powershell.yaml: the cmdlets answers may use, per module, and the words the rules read. */
export type PowerShellRules = z.infer<typeof rulesSchema>;

export function readPowerShellRules(knowledgeDir: string): PowerShellRules {
  const file = path.join(knowledgeDir, 'powershell.yaml');
  return rulesSchema.parse(YAML.parse(fs.readFileSync(file, 'utf8')));
}

/** One place in the knowledge that shows a command, with the prose around it. */
interface CommandSite {
  where: string;
  language: string;
  prose: string[];
  command?: string;
}

// PowerShell's approved verbs that the knowledge can meet; a word like "Sync-Fehler" is no cmdlet.
const VERBS =
  'Get|Set|New|Remove|Add|Start|Stop|Restart|Enable|Disable|Invoke|Update|Restore|Connect|Disconnect|Test|' +
  'Select|Where|Group|ForEach|Sort|Measure|Import|Export|Install|Uninstall|Reset|Clear|Write|Out|Format|' +
  'Revoke|Grant|Register|Unregister|Initialize|Repair|Move|Rename|Copy|Convert|ConvertTo|ConvertFrom';
const CMDLET = new RegExp(`\\b(?:${VERBS})-[A-Z][A-Za-z0-9]*\\b`, 'g');

/** The statements of a command block: one per line, and `;` separates more on a line (outside quotes and braces). */
export function statementsOf(command: string): string[] {
  const statements: string[] = [];
  for (const line of command.split('\n')) {
    let depth = 0;
    let quote = '';
    let current = '';
    for (const ch of line) {
      if (quote) {
        if (ch === quote) quote = '';
      } else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === '{' || ch === '(') depth++;
      else if (ch === '}' || ch === ')') depth--;
      else if (ch === ';' && depth === 0) {
        statements.push(current);
        current = '';
        continue;
      }
      current += ch;
    }
    statements.push(current);
  }
  return statements.map((s) => s.trim()).filter((s) => s !== '' && !s.startsWith('#'));
}

function sitesOf(kb: KnowledgeBase): CommandSite[] {
  const sites: CommandSite[] = [];
  for (const language of kb.languages) {
    for (const topic of kb.topics(language)) {
      topic.steps.forEach((step, i) =>
        sites.push({
          where: `locales/${language}/topics/${topic.id}.yaml: steps[${i}]`,
          language,
          prose: [step.text],
          ...(step.command ? { command: step.command } : {}),
        }),
      );
      for (const [key, text] of Object.entries(topic.diagnosisText?.conclusions ?? {}))
        sites.push({
          where: `locales/${language}/topics/${topic.id}.yaml: diagnosis.conclusions.${key}`,
          language,
          prose: [text],
        });
    }
    for (const flow of kb.flows) {
      const text = kb.flowText(flow.id, language);
      if (!text) continue;
      const file = `locales/${language}/flows/${flow.id}.yaml`;
      for (const [id, step] of Object.entries(text.steps))
        sites.push({
          where: `${file}: steps.${id}`,
          language,
          prose: [step.question, step.hint ?? ''],
          ...(step.command ? { command: step.command } : {}),
        });
      for (const [id, outcome] of Object.entries(text.outcomes))
        sites.push({
          where: `${file}: outcomes.${id}`,
          language,
          prose: [outcome.title, outcome.text],
          ...(outcome.command ? { command: outcome.command } : {}),
        });
    }
    for (const { code } of kb.errorCatalog.errors) {
      const text = kb.syncError(code, language);
      if (text)
        sites.push({
          where: `locales/${language}/errors.yaml: ${code}`,
          language,
          prose: [text.meaning, text.cause, text.fix],
        });
    }
  }
  return sites;
}

/**
 * What can be checked of the commands mechanically: every cmdlet a command uses, or the prose names,
 * is a known cmdlet of a module in powershell.yaml; a proxy-blind test is never presented as a proxy
 * test; a copy block holds one command when the prose says something must run between commands,
 * and never switches a protection off and on again in one paste (Disable-X then Enable-X).
 */
export function checkCommands(kb: KnowledgeBase, rules: PowerShellRules): string[] {
  const known = new Set(Object.values(rules.modules).flat());
  const problems: string[] = [];
  const looksLikeOurs = (cmdlet: string): boolean => {
    const noun = cmdlet.slice(cmdlet.indexOf('-') + 1);
    return rules.cmdletPrefixes.some((p) => noun.startsWith(p));
  };
  for (const site of sitesOf(kb)) {
    const prose = site.prose.join('\n');
    const command = site.command ?? '';
    for (const cmdlet of new Set(command.match(CMDLET) ?? []))
      if (!known.has(cmdlet)) problems.push(`${site.where}: command: ${cmdlet} is not a known cmdlet`);
    for (const cmdlet of new Set(prose.match(CMDLET) ?? []))
      if (looksLikeOurs(cmdlet) && !known.has(cmdlet))
        problems.push(`${site.where}: text: ${cmdlet} is not a known cmdlet`);
    if (!command) continue;
    const lowerProse = prose.toLowerCase();
    for (const blind of rules.proxyBlind) {
      if (command.includes(blind) && rules.proxyWords.some((w) => lowerProse.includes(w.toLowerCase())))
        problems.push(`${site.where}: ${blind} ignores proxies, but the text presents it as a proxy test`);
    }
    const statements = statementsOf(command);
    if (statements.length < 2) continue;
    const between = (rules.between[site.language] ?? []).find((w) => lowerProse.includes(w.toLowerCase()));
    if (between)
      problems.push(
        `${site.where}: command: ${statements.length} commands in one copy block, but the text says "${between}" something runs between them; give each its own step`,
      );
    for (const disable of command.match(/\bDisable-[A-Za-z0-9]+/g) ?? []) {
      if (command.includes(`Enable-${disable.slice('Disable-'.length)}`))
        problems.push(
          `${site.where}: command: ${disable} and its Enable- in one copy block; whatever should run while it is off cannot`,
        );
    }
  }
  return problems;
}
