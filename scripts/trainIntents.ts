/**
 * Part of `npm run build`: trains the intent classifier's models for the knowledge as it is and keeps
 * them beside the build (dist/intent-models), so that the server loads them at start instead of training.
 */
import path from 'node:path';
import { readSettings } from '../src/infrastructure/config';
import { loadKnowledge } from '../src/domain/knowledge/loadKnowledge';
import { IntentClassifier } from '../src/domain/recognition/intentClassifier';

const settings = readSettings({ ...process.env, LOG_LEVEL: 'silent' });
const started = Date.now();
new IntentClassifier(loadKnowledge(settings.knowledgeDir), {
  cacheDirs: [path.join(__dirname, '..', 'intent-models')],
}).prepare();
console.log(`intent models ready in ${Date.now() - started} ms`);
