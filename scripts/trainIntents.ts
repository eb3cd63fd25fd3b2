/**
 * Part of `npm run build`: trains the intent classifier's models for the knowledge as it is and keeps
 * them beside the build (dist/intent-models), so that the server loads them at start instead of training;
 * and keeps the stems of every phrasing (dist/knowledge-cache), so that it does not stem them either.
 */
import path from 'node:path';
import { readSettings } from '../src/infrastructure/config';
import { loadKnowledge } from '../src/domain/knowledge/loadKnowledge';
import { IntentClassifier } from '../src/domain/recognition/intentClassifier';
import { TopicRecognizer } from '../src/domain/recognition/topicRecognizer';
import { SavedStems } from '../src/domain/language/savedStems';

const settings = readSettings({ ...process.env, LOG_LEVEL: 'silent' });
const started = Date.now();
const kb = loadKnowledge(settings.knowledgeDir);
const classifier = new IntentClassifier(kb, { cacheDirs: [path.join(__dirname, '..', 'intent-models')] });
classifier.prepare();
const stems = SavedStems.read();
new TopicRecognizer(kb, classifier, stems);
stems.save();
console.log(`intent models ready in ${Date.now() - started} ms`);
