import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from './assistant';
import { freePort, waitForPort } from './azurite';

/** The bot as its own Node process (`src/index.ts` through tsx), as App Service runs an instance. */
export class BotProcess {
  private child?: ChildProcess;
  url = '';
  /** What the process logged (JSON lines on stderr). */
  log = '';

  constructor(private readonly env: Record<string, string>) {}

  async start(): Promise<this> {
    const port = await freePort();
    this.child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'src', 'index.ts')], {
      cwd: projectRoot,
      env: { ...process.env, ...this.env, PORT: String(port), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child.stderr?.on('data', (chunk: Buffer) => (this.log += chunk.toString('utf8')));
    await waitForPort(port, 60000);
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  /** Ends the process at once, as a crash or a recycled App Service instance would. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }
}
