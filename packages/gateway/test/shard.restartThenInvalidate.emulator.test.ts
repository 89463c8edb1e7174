/**
 * `close({ invalidateSession: true })` after `restart()`: the restart closes the socket of the
 * session with 4000 (resumable) and opens a new one to resume on. A close that came a microtask or
 * more after the restart found no socket of the session open: it forgot the session here and in
 * the store, closed the new connection before (or without) its Resume, and never sent 1000 on a
 * socket of the session, so the platform kept the session resumable until it expired there. The
 * shard now ends it on the platform at any moment after a restart: through the connection that
 * serves it, or by resuming it on a short connection closed with 1000 as soon as it is resumed.
 * A close without invalidation after a restart still leaves the session resumable.
 *
 * The emulator keeps every session a bot closes (only server-side closes end one), so what these
 * tests read is what the platform was told: the close codes recorded on connections of the session.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AccessTokenProvider, Token } from '@bot/http';
import { InMemorySessionStore, Shard, type ShardState } from '@bot/gateway';
import type { Emulator } from '@bot/testing';
import { ALL_INTENT_BITS, startEmulator } from './support/emulator.js';
import { roomyQueue, silentLogger } from './support/harness.js';

let emulator: Emulator | undefined;
const shards: Shard[] = [];

afterEach(async () => {
  for (const shard of shards.splice(0)) await shard.close();
  await emulator?.stop();
  emulator = undefined;
});

/** A shard of one facing the emulator, with its own store. */
function shardFor(emu: Emulator, store = new InMemorySessionStore()): Shard {
  const logger = silentLogger();
  const shard = new Shard({
    id: 0,
    total: 1,
    intents: ALL_INTENT_BITS,
    gatewayUrl: emu.gatewayUrl,
    tokens: new AccessTokenProvider(new Token(emu.appId, emu.secret), { tokenUrl: emu.tokenUrl, logger }),
    identifyQueue: roomyQueue(),
    sessionStore: store,
    logger,
  });
  shard.on('error', () => undefined);
  shards.push(shard);
  return shard;
}

/** The close codes the bot sent on connections the emulator had attached to `sessionId`, in order. */
function closesOfSession(emu: Emulator, sessionId: string): number[] {
  return emu.recorder
    .filter((r) => r.kind === 'close' && r.sessionId === sessionId && r.initiator === 'client')
    .map((r) => (r.kind === 'close' ? r.code : 0));
}

/** Resolves at the next change of `shard` to `state`. */
function nextState(shard: Shard, state: ShardState): Promise<void> {
  return new Promise((resolve) => {
    const listener = (to: ShardState): void => {
      if (to !== state) return;
      shard.off('state', listener);
      resolve();
    };
    shard.on('state', listener);
  });
}

/** Waits until the emulator has recorded a close for every connection it opened (sockets close asynchronously). */
async function settleSockets(emu: Emulator): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const open = emu.recorder.filter((r) => r.kind === 'open').length;
    const closed = emu.recorder.filter((r) => r.kind === 'close').length;
    if (closed >= open) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** When, after `restart()`, the close is called: `undefined` for at once, in the same synchronous run. */
const moments: [string, (shard: Shard) => Promise<void> | undefined][] = [
  ['in the same synchronous run', () => undefined],
  ['a microtask later', async () => void (await Promise.resolve())],
  [
    'a few microtasks later',
    async () => {
      for (let i = 0; i < 10; i++) await Promise.resolve();
    },
  ],
  ['a turn later (the new socket opening)', () => new Promise((resolve) => setImmediate(resolve))],
  ['as the new connection sends its Resume', (shard) => nextState(shard, 'resuming')],
  ['once the new connection has resumed', (shard) => nextState(shard, 'ready')],
];

describe('close({ invalidateSession: true }) after restart()', () => {
  it.each(moments)('ends the session on the platform when called %s', async (_when, wait) => {
    const emu = (emulator = await startEmulator({ pacing: 'instant' }));
    const store = new InMemorySessionStore();
    const shard = shardFor(emu, store);
    await shard.start();
    const sessionId = shard.status().sessionId;
    expect(sessionId).toBeDefined();

    const reached = wait(shard);
    shard.restart();
    if (reached !== undefined) await reached;
    const left = await shard.close({ invalidateSession: true });
    await settleSockets(emu);

    expect(left).toBeUndefined();
    expect(await store.get(0)).toBeUndefined();
    expect(shard.state).toBe('closed');
    // Before the fix, called a microtask or more after the restart: [4000] only.
    expect(closesOfSession(emu, sessionId!)).toContain(1000);
  });
});

describe('close() after restart()', () => {
  it.each(moments)('leaves the session resumable when called %s', async (_when, wait) => {
    const emu = (emulator = await startEmulator({ pacing: 'instant' }));
    const store = new InMemorySessionStore();
    const shard = shardFor(emu, store);
    await shard.start();
    const sessionId = shard.status().sessionId;

    const reached = wait(shard);
    shard.restart();
    if (reached !== undefined) await reached;
    const left = await shard.close();
    await settleSockets(emu);

    expect(left?.sessionId).toBe(sessionId);
    expect((await store.get(0))?.sessionId).toBe(sessionId);
    expect(closesOfSession(emu, sessionId!)).not.toContain(1000);

    // A shard started on the store resumes it.
    const next = shardFor(emu, store);
    await next.start();
    expect(next.status().sessionId).toBe(sessionId);
    expect(emu.recorder.filter((r) => r.kind === 'gateway' && r.op === 2)).toHaveLength(1);
  });
});
