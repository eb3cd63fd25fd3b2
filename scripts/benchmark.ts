/**
 * npm run bench — start-up time, first-turn latency, p50/p95 turn latency, turns per second and
 * memory of the bot through HTTP with 20 concurrent conversations, and the same for a minimal echo
 * bot on the same stack in the same run. Prints numbers; asserts nothing.
 *
 *   npm run bench -- --conversations 20 --turns 15
 *   BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npm run bench   profile the bot under load
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { randomUUID } from 'node:crypto';

const args = process.argv.slice(2);
const numberOption = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const CONVERSATIONS = numberOption('--conversations', 20);
const TURNS = numberOption('--turns', 15);
const root = path.resolve(__dirname, '..', '..');
const agent = new http.Agent({ keepAlive: true, maxSockets: CONVERSATIONS * 2 });

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** The channel side: accepts the bot's replies as fast as it can. */
async function startConnector(): Promise<{ url: string; replies: () => number; close: () => void }> {
  let count = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method === 'POST' && req.url?.includes('/activities')) count++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"id":"${randomUUID()}"}`);
    });
  });
  server.keepAliveTimeout = 5000;
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${port}`, replies: () => count, close: () => server.close() };
}

function post(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = http.request(
      {
        hostname: u.hostname,
        port: u.port,
        path: u.pathname,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`process exited with ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.end();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('did not listen in time');
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

interface Measurement {
  startupMs: number;
  firstTurnMs: number;
  p50: number;
  p95: number;
  turnsPerSecond: number;
  rssMb: number;
  errors: number;
}

async function measure(
  label: string,
  script: string,
  utterances: string[],
  connector: { url: string },
): Promise<Measurement> {
  const port = await freePort();
  const started = performance.now();
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, script], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      MicrosoftAppId: '',
      MicrosoftAppPassword: '',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitForPort(port, child);
    const startupMs = performance.now() - started;
    const url = `http://127.0.0.1:${port}/api/messages`;
    const activity = (conversation: string, text: string, locale: string): string =>
      JSON.stringify({
        type: 'message',
        id: randomUUID(),
        text,
        locale,
        channelId: 'emulator',
        serviceUrl: connector.url,
        from: { id: `user-${conversation}` },
        recipient: { id: 'bot' },
        conversation: { id: conversation },
      });
    const t0 = performance.now();
    await post(url, activity('warm-up', utterances[0] ?? 'hello', 'en-US'));
    const firstTurnMs = performance.now() - t0;

    const latencies: number[] = [];
    let errors = 0;
    const loadStarted = performance.now();
    await Promise.all(
      Array.from({ length: CONVERSATIONS }, async (_, c) => {
        const conversation = `${label}-${c}-${randomUUID()}`;
        for (let t = 0; t < TURNS; t++) {
          const text = utterances[(c * TURNS + t) % utterances.length] ?? 'hello';
          const s = performance.now();
          const status = await post(url, activity(conversation, text, c % 2 ? 'nl-NL' : 'en-US'));
          latencies.push(performance.now() - s);
          if (status >= 300) errors++;
        }
      }),
    );
    const elapsed = (performance.now() - loadStarted) / 1000;
    latencies.sort((a, b) => a - b);
    const q = (p: number): number =>
      latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
    return {
      startupMs,
      firstTurnMs,
      p50: q(0.5),
      p95: q(0.95),
      turnsPerSecond: latencies.length / elapsed,
      rssMb: rssMb(child.pid as number),
      errors,
    };
  } finally {
    child.kill('SIGTERM');
  }
}

async function main(): Promise<void> {
  const utterances = fs
    .readFileSync(path.join(root, 'test', 'utterances', 'eval.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split('\t')[2] ?? '')
    .filter(Boolean);
  const connector = await startConnector();
  try {
    const bot = await measure('bot', path.join(root, 'dist', 'src', 'index.js'), utterances, connector);
    const echo = await measure(
      'echo',
      path.join(root, 'dist', 'scripts', 'echoBot.js'),
      utterances,
      connector,
    );
    const row = (name: string, m: Measurement): string =>
      `${name.padEnd(22)} ${m.startupMs.toFixed(0).padStart(8)} ${m.firstTurnMs.toFixed(1).padStart(10)} ${m.p50.toFixed(1).padStart(8)} ${m.p95.toFixed(1).padStart(8)} ${m.turnsPerSecond.toFixed(0).padStart(8)} ${m.rssMb.toFixed(0).padStart(8)} ${String(m.errors).padStart(7)}`;
    console.log(
      `${CONVERSATIONS} concurrent conversations x ${TURNS} turns over HTTP (loopback), node ${process.version}`,
    );
    console.log(
      `${''.padEnd(22)} ${'start ms'.padStart(8)} ${'first ms'.padStart(10)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'turns/s'.padStart(8)} ${'RSS MB'.padStart(8)} ${'errors'.padStart(7)}`,
    );
    console.log(row('Directory Sync Assistant', bot));
    console.log(row('echo bot (baseline)', echo));
    console.log(
      `ratio bot/echo: start-up ${(bot.startupMs / echo.startupMs).toFixed(1)}x, p50 ${(bot.p50 / echo.p50).toFixed(1)}x, p95 ${(bot.p95 / echo.p95).toFixed(1)}x, throughput ${(bot.turnsPerSecond / echo.turnsPerSecond).toFixed(2)}x, memory ${(bot.rssMb / echo.rssMb).toFixed(1)}x`,
    );
  } finally {
    connector.close();
    agent.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
