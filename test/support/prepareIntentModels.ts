import path from 'node:path';
import { loadKnowledge } from '../../src/domain/knowledge/loadKnowledge';
import { IntentClassifier } from '../../src/domain/recognition/intentClassifier';

/**
 * Jest's global setup: trains the intent models once, before the test files run in parallel, so
 * that each file (and each bot process a test starts) loads them from the cache instead of training.
 */
export default function prepareIntentModels(): void {
  new IntentClassifier(loadKnowledge(path.join(__dirname, '..', '..', 'knowledge'))).prepare();
}
