import path from 'node:path';
import Piscina from 'piscina';
import type { Piece } from './facts';
import { recognize, type RecognizerFacts, type RecognizerTask } from './recognizerReading';

/** Where @microsoft/recognizers-text reads: inline, or in a worker thread. */
export interface Recognizers {
  /** Whether the culture's patterns are compiled: reading it now costs milliseconds, not seconds. */
  isWarm(culture: string): boolean;
  read(task: RecognizerTask): Promise<RecognizerFacts>;
  /** Compiles the patterns these messages need (the first use of each costs up to seconds for French). */
  warmUp(culture: string, messages: Piece[][]): Promise<void>;
  close(): Promise<void>;
}

/**
 * On the calling thread: for scripts and tests, which read everything anyway and want the same
 * reading every time. It counts every culture as warm: a turn waits for its compilation.
 */
export class InlineRecognizers implements Recognizers {
  isWarm(): boolean {
    return true;
  }

  read(task: RecognizerTask): Promise<RecognizerFacts> {
    return Promise.resolve(recognize(task));
  }

  warmUp(culture: string, messages: Piece[][]): Promise<void> {
    for (const pieces of messages) recognize({ culture, pieces, now: Date.now() });
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * In one worker thread (piscina): compiling and reading never block the event loop. One thread, not
 * one per core: each warmed thread holds its own compiled patterns (about 100 MB for en, fr and es),
 * and the other core runs the event loop. A culture counts as warm once its warm-up task has run.
 */
export class RecognizerPool implements Recognizers {
  private readonly pool: Piscina<RecognizerTask, RecognizerFacts>;
  private readonly warm = new Set<string>();

  constructor(options: { maxQueue?: number } = {}) {
    const compiled = !__filename.endsWith('.ts');
    this.pool = new Piscina({
      filename: path.join(__dirname, `recognizerWorker.${compiled ? 'js' : 'ts'}`),
      // From the TypeScript sources (tests, npm run dev) the worker needs tsx too.
      ...(compiled ? {} : { execArgv: ['--import', 'tsx'] }),
      minThreads: 1,
      maxThreads: 1,
      idleTimeout: Number.POSITIVE_INFINITY,
      maxQueue: options.maxQueue ?? 256,
    });
  }

  isWarm(culture: string): boolean {
    return this.warm.has(culture);
  }

  read(task: RecognizerTask): Promise<RecognizerFacts> {
    return this.pool.run(task);
  }

  async warmUp(culture: string, messages: Piece[][]): Promise<void> {
    const now = Date.now();
    for (const pieces of messages) await this.pool.run({ culture, pieces, now });
    this.warm.add(culture);
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }
}
