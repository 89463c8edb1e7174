/**
 * gateway-only: `@bot/gateway`'s `ShardManager` alone, the core of a gateway proxy. It keeps the
 * sessions alive (heartbeats, resumes, identify pacing) and prints the name of every dispatch as
 * it arrives, known to this framework or not; a real proxy would publish each payload to a queue
 * for workers that answer through `@bot/http` (see http-only.ts).
 *
 *   pnpm example gateway-only
 *
 * With QQ_BOT_APP_ID and QQ_BOT_SECRET set it connects to the QQ platform (QQ_BOT_SANDBOX=1 for
 * the sandbox) until Ctrl-C. Without them it starts the embedded emulator, has its simulated users
 * produce a few events, prints them as they arrive, and exits.
 */
import { Intents, ShardManager, gatewayInfoFromRest, type DispatchPayload } from '@bot/gateway';
import { RestClient } from '@bot/http';
import type { Emulator } from '@bot/testing';
import {
  Platform,
  REPLY_TIMEOUT_MS,
  runMain,
  untilShardsReady,
  untilShutdownSignal,
} from './support/index.js';

/** The events this proxy forwards. */
const INTENTS = Intents.of('GUILDS', 'GUILD_MEMBERS', 'PUBLIC_GUILD_MESSAGES', 'GROUP_AND_C2C_EVENT');

runMain(async () => {
  const platform = await Platform.connect({ grantedIntents: INTENTS.bits });
  console.log(`gateway-only: connecting to ${platform.describe()}`);
  const rest = new RestClient(platform.restOptions());
  const shards = new ShardManager({
    intents: INTENTS,
    tokens: rest.tokens, // one access token for REST and every shard
    gateway: gatewayInfoFromRest(rest), // GET /gateway/bot: URL, shard count, session budget
    logger: platform.logger,
  });
  shards.on('dispatch', (payload, shardId) => forward(payload, shardId));
  shards.on('state', (state, previous, shardId) => console.log(`shard ${shardId}: ${previous} → ${state}`));
  shards.on('error', (error, shardId) => console.error(`shard ${shardId}: ${error.message}`));

  const running = shards.startAutosharded();
  running.catch(() => undefined); // reported by the awaits below
  try {
    await untilShardsReady(shards, running);
    if (platform.emulator) {
      await produceEvents(platform.emulator, shards);
    } else {
      console.log('press Ctrl-C to stop');
      const signal = await Promise.race([untilShutdownSignal(), running.then(() => undefined)]);
      if (signal) console.log(`${signal}: shutting down`);
    }
  } finally {
    await shards.shutdownAll({ invalidateSessions: true });
    rest.destroy();
    await platform.stop();
  }
  await running;
});

/** Where a proxy would hand the payload on; here it prints the event's name and ids. */
function forward(payload: DispatchPayload, shardId: number): void {
  console.log(`shard ${shardId} ⇐ ${payload.t.padEnd(24)} s=${payload.s ?? '-'} id=${payload.id ?? '-'}`);
}

/** Simulated users act; resolves once the shards have delivered every resulting event. */
async function produceEvents(emulator: Emulator, shards: ShardManager): Promise<void> {
  const { simulate } = emulator;
  const published: Array<{ id: string }> = [];
  const delivered = untilDelivered(shards, () => published.map((event) => event.id));
  published.push(
    simulate.guildAtMessage({ content: 'hello from a guild' }),
    simulate.groupAtMessage({ content: 'hello from a group' }),
    simulate.c2cMessage({ content: 'hello in private' }),
    simulate.memberJoin({ username: 'Newcomer' }),
    // An event this framework has no model for still passes through a proxy untouched.
    simulate.dispatch('SUBSCRIBE_MESSAGE_STATUS', { openid: 'E4F4AEA33253A2797FB897C50B81D7ED' }),
  );
  await delivered;
  console.log(`${published.length} events delivered`);
}

/** Resolves when dispatches with every id `ids()` lists have arrived; rejects after a timeout. */
function untilDelivered(shards: ShardManager, ids: () => string[]): Promise<void> {
  const arrived = new Set<string>();
  return new Promise((resolve, reject) => {
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      shards.off('dispatch', onDispatch);
      if (error) reject(error);
      else resolve();
    };
    const onDispatch = (payload: DispatchPayload): void => {
      if (payload.id !== undefined) arrived.add(payload.id);
      if (ids().every((id) => arrived.has(id))) finish();
    };
    const timer = setTimeout(() => {
      const missing = ids().filter((id) => !arrived.has(id));
      finish(new Error(`${missing.length} event(s) never arrived within ${REPLY_TIMEOUT_MS} ms`));
    }, REPLY_TIMEOUT_MS);
    shards.on('dispatch', onDispatch);
  });
}
