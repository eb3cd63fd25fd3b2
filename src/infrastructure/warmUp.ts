import type { Logger } from './logger';

/**
 * Work that makes later turns faster but that no turn needs, such as training or loading a
 * classifier. It runs after the port is open, one task after another, so that start-up
 * (App Service restarts, slot swaps, scale-out wait for /healthz) never waits for it. A part of the
 * assistant adds its task with add(); until the task is done, that part answers its cheaper way.
 */
export class WarmUp {
  private readonly tasks: { name: string; run: () => Promise<void> }[] = [];
  private readonly done = new Map<string, boolean>();
  private started?: Promise<void>;
  private logger?: Logger;

  add(name: string, run: () => Promise<void>): void {
    this.tasks.push({ name, run });
    this.done.set(name, false);
    // Added after the start: it runs after the others.
    if (this.started) this.started = this.started.then(() => this.runOne({ name, run }));
  }

  /**
   * Runs every task once, the first after `afterMs`; a task that fails is logged and leaves its part on
   * its cheaper way. Each task holds the event loop for up to a few hundred milliseconds (loading a
   * module cannot be sliced): the delay lets the requests that come as soon as the port opens (the
   * platform's health probe, a first message) be answered before it.
   */
  start(logger?: Logger, afterMs = 0): Promise<void> {
    this.logger ??= logger;
    this.started ??= this.tasks.reduce<Promise<void>>(
      (previous, task) => previous.then(() => this.runOne(task)),
      new Promise((resolve) => setTimeout(resolve, afterMs)),
    );
    return this.started;
  }

  /** Each task and whether it is done (for /healthz). */
  status(): Record<string, boolean> {
    return Object.fromEntries(this.done);
  }

  private async runOne(task: { name: string; run: () => Promise<void> }): Promise<void> {
    const { logger } = this;
    const started = Date.now();
    try {
      await task.run();
      this.done.set(task.name, true);
      logger?.info('warmed up', { task: task.name, ms: Date.now() - started });
    } catch (error) {
      logger?.warn('warm-up failed', { task: task.name, error: (error as Error).message });
    }
  }
}
