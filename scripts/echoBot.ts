/**
 * The benchmark's baseline: the smallest bot on the same stack (restify, CloudAdapter, anonymous
 * authentication, ActivityHandler) that echoes each message. Started by scripts/benchmark.ts.
 */
import restify from 'restify';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';

const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
const bot = new ActivityHandler();
bot.onMessage(async (context, next) => {
  await context.sendActivity(`You said: ${context.activity.text ?? ''}`);
  await next();
});
const server = restify.createServer();
server.use(restify.plugins.bodyParser());
server.post('/api/messages', async (req, res) => {
  await adapter.process(req, res, (context) => bot.run(context));
});
// As the bot's: the benchmark waits for it before it counts the echo bot ready.
server.get('/healthz', async (_req, res) => {
  const { rss, heapUsed } = process.memoryUsage();
  res.json({ status: 'ok', memory: { rssMb: rss / 2 ** 20, heapUsedMb: heapUsed / 2 ** 20 } });
});
server.listen(Number(process.env.PORT ?? 3979), '127.0.0.1');
// A clean exit on SIGTERM, as the bot's, so that a profiled run (--cpu-prof) writes its profile.
process.on('SIGTERM', () => process.exit(0));
