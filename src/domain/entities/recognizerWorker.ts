/**
 * The worker thread of RecognizerPool: @microsoft/recognizers-text reads here, so that the seconds
 * its patterns take to compile and the milliseconds of each reading never stall the event loop that
 * answers every conversation.
 */
import { recognize, type RecognizerFacts, type RecognizerTask } from './recognizerReading';

export default function run(task: RecognizerTask): RecognizerFacts {
  return recognize(task);
}
