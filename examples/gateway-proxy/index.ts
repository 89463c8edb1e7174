/**
 * gateway-proxy: a process that holds the gateway connections with `@bot/gateway` alone and
 * forwards every raw dispatch to another service, at that service's pace and without losing events
 * when it crashes. See GatewayProxy.ts for the parts and why each is there.
 *
 *   pnpm example gateway-proxy
 *
 * With QQ_BOT_APP_ID and QQ_BOT_SECRET set it connects to the QQ platform and POSTs each event to
 * PROXY_DOWNSTREAM_URL until Ctrl-C; sessions are kept in PROXY_SESSION_FILE
 * (gateway-proxy-sessions.json by default), so a restart resumes where the downstream stopped.
 * Without credentials it starts the embedded emulator and a deliberately slow downstream (5 ms per
 * event), floods the shard with events, and prints how far the proxy's own queue grew.
 *
 * The marks are GatewayProxy's defaults (100 and 50 events per shard). Every report that needs a
 * person (a downstream failing, an event given up, a new session that lost events the platform
 * no longer replays) goes to stderr through `onError`.
 */
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Intents, gatewayInfoFromRest } from '@bot/gateway';
import { RestClient, ValidationError } from '@bot/http';
import type { Emulator } from '@bot/testing';
import { FileSessionStore } from './FileSessionStore.js';
import { GatewayProxy } from './GatewayProxy.js';
import { httpDownstream } from './httpDownstream.js';
import { Platform, runMain, untilShardsReady, untilShutdownSignal } from '../support/index.js';

/** The events this proxy forwards. */
const INTENTS = Intents.of('GUILDS', 'GUILD_MEMBERS', 'PUBLIC_GUILD_MESSAGES', 'GROUP_AND_C2C_EVENT');
/** How long the downstream gets to confirm what is queued when the proxy stops. */
const DRAIN_MS = 5_000;
/** The embedded demo: events flooded, the downstream's time per event, and the cap on waiting. */
const DEMO_EVENTS = 1_000;
const DEMO_DELAY_MS = 5;
const DEMO_TIMEOUT_MS = 30_000;

runMain(async () => {
  const platform = await Platform.connect({ grantedIntents: INTENTS.bits });
  console.log(`gateway-proxy: connecting to ${platform.describe()}`);
  const demo = platform.emulator ? await SlowDownstream.start(DEMO_DELAY_MS) : undefined;
  const downstreamUrl = demo?.url ?? requiredEnv('PROXY_DOWNSTREAM_URL');
  const scratch = demo ? await mkdtemp(join(tmpdir(), 'gateway-proxy-')) : undefined;
  const sessionFile = scratch
    ? join(scratch, 'sessions.json')
    : (process.env.PROXY_SESSION_FILE ?? 'gateway-proxy-sessions.json');
  const rest = new RestClient(platform.restOptions());
  const proxy = new GatewayProxy({
    manager: {
      intents: INTENTS,
      tokens: rest.tokens,
      gateway: gatewayInfoFromRest(rest),
      logger: platform.logger,
    },
    store: await FileSessionStore.open(sessionFile),
    downstream: httpDownstream(downstreamUrl),
    // A new session that cost events (SessionReplacedError) and given-up events come here too.
    onError: (error, shardId) =>
      console.error(
        `shard ${shardId}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
      ),
  });
  const { manager } = proxy;
  manager.on('error', (error, shardId) => console.error(`shard ${shardId}: ${error.message}`));

  const running = manager.startAutosharded();
  running.catch(() => undefined); // reported by the awaits below
  try {
    await untilShardsReady(manager, running);
    const sessions = manager.status().map((shard) => `${shard.id}@${shard.seq ?? '-'}`);
    console.log(`proxy ready: shards ${sessions.join(', ')} forwarding to ${downstreamUrl}`);
    if (platform.emulator && demo) {
      await flood(platform.emulator, demo, proxy);
    } else {
      console.log('press Ctrl-C to stop');
      const signal = await Promise.race([untilShutdownSignal(), running.then(() => undefined)]);
      if (signal) console.log(`${signal}: shutting down`);
    }
  } finally {
    const { unconfirmed } = await proxy.stop(DRAIN_MS);
    console.log(`stopped; ${unconfirmed} event(s) unconfirmed, to be resumed by the next start`);
    rest.destroy();
    await demo?.stop();
    await platform.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
  await running;
});

/** Floods the emulator with messages and reports how the proxy kept up. */
async function flood(emulator: Emulator, downstream: SlowDownstream, proxy: GatewayProxy): Promise<void> {
  const startedAt = Date.now();
  for (let i = 0; i < DEMO_EVENTS; i++) emulator.simulate.guildAtMessage({ content: `flood ${i}` });
  while (downstream.received < DEMO_EVENTS && Date.now() - startedAt < DEMO_TIMEOUT_MS) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (downstream.received < DEMO_EVENTS) {
    throw new Error(
      `the downstream got ${downstream.received} of ${DEMO_EVENTS} events in ${DEMO_TIMEOUT_MS} ms`,
    );
  }
  console.log(
    `${DEMO_EVENTS} events forwarded in ${Date.now() - startedAt} ms to a downstream taking ` +
      `${DEMO_DELAY_MS} ms each; the proxy's queue held at most ${proxy.queue.peak} (high mark ${proxy.queue.highMark})`,
  );
}

/** The value of an environment variable the proxy cannot run without. */
function requiredEnv(name: string): string {
  const value = process.env[name] ?? '';
  if (value === '') throw new ValidationError(name, 'is not set: the URL the proxy POSTs each event to');
  return value;
}

/** A stand-in downstream service: confirms each POSTed event after `delayMs`, one at a time. */
class SlowDownstream {
  public received = 0;
  readonly #server: Server;

  private constructor(server: Server) {
    this.#server = server;
  }

  /** Listens on 127.0.0.1 at a port the system picks. */
  public static async start(delayMs: number): Promise<SlowDownstream> {
    let downstream: SlowDownstream | undefined;
    const server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        setTimeout(() => {
          if (downstream) downstream.received++;
          response.end();
        }, delayMs);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    downstream = new SlowDownstream(server);
    return downstream;
  }

  /** Where to POST events. */
  public get url(): string {
    const address = this.#server.address();
    if (address === null || typeof address === 'string') throw new Error('the downstream is not listening');
    return `http://127.0.0.1:${address.port}/events`;
  }

  /** Stops listening and closes its connections. */
  public async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
