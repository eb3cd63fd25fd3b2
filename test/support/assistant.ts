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
