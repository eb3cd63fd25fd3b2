import path from 'node:path';
import { createAssistant, type Assistant } from '../../src/app';
import { silentLogger } from '../../src/infrastructure/logger';

export const projectRoot = path.resolve(__dirname, '..', '..');
export const knowledgeDir = process.env.KNOWLEDGE_DIR || path.join(projectRoot, 'knowledge');
export const cardsDir = path.join(projectRoot, 'cards');
export const HELPDESK = 'servicedesk@contoso.example, ext. 4040';

let shared: Assistant | undefined;

/** The real assistant over the real knowledge base; built once per test file, it is read-only. */
export function testAssistant(): Assistant {
  shared ??= createAssistant({ knowledgeDir, cardsDir, helpdeskContact: HELPDESK }, silentLogger);
  return shared;
}

/** A fresh assistant with its own (memory) state, for tests that hold conversations. */
export function freshAssistant(): Assistant {
  return createAssistant({ knowledgeDir, cardsDir, helpdeskContact: HELPDESK }, silentLogger);
}

/**
 * A small knowledge base of its own (five topics, one guided check, English and Dutch) with wording
 * written for the tests: dialog tests run on it, so an author's edit to knowledge/ breaks only the
 * eval and the end-to-end tests, never a dialog test. Its structure files (strings, commands) are
 * copies of the real ones; test/fixtures/knowledge/README.md says how it was made.
 */
export const fixtureKnowledgeDir = path.join(projectRoot, 'test', 'fixtures', 'knowledge');

let fixture: Assistant | undefined;

/** The assistant over the fixture knowledge; shared by a test file, each conversation keeps its own state. */
export function fixtureAssistant(): Assistant {
  fixture ??= createAssistant(
    { knowledgeDir: fixtureKnowledgeDir, cardsDir, helpdeskContact: HELPDESK },
    silentLogger,
  );
  return fixture;
}
