/** The seq a SessionReplacedError names is the shard's own, in process and with handlers on worker threads. */
import { describe, expect, it } from 'vitest';
import { Emulator } from '@bot/testing';
import { Client, Intents, Token, createLogger, type ClientError } from '@bot/client';
import type { ThreadClientData } from './fixtures/threadClient.js';

const THREAD_CLIENT = new URL('./fixtures/threadClient.ts', import.meta.url);
const replaced = (errors: readonly ClientError[]) => errors.filter((e) => e.name === 'SessionReplacedError');

async function run(onThreads: boolean) {
  const emulator = await Emulator.start({
    grantedIntents: 'all',
    heartbeatInterval: 30_000,
    resumeWindow: 0,
  });
  const errors: ClientError[] = [];
  const handled: string[] = [];
  const { appId, secret, restUrl, tokenUrl } = emulator;
  const data: ThreadClientData = { appId, secret, restUrl, tokenUrl };
  let builder = Client.builder(new Token(emulator.appId, emulator.secret), Intents.all())
    .baseUrl(emulator.restUrl, emulator.tokenUrl)
    .logger(createLogger('test', 5));
  builder = onThreads
    ? builder
        .workers(1, { handler: THREAD_CLIENT, handlerData: data })
        .eventHandler({ error: (e) => void errors.push(e) })
    : builder.eventHandler({
        error: (e) => void errors.push(e),
        groupMessageCreate: (_c, m) => void handled.push(m.cleanContent),
      });
  const client = await builder;
  try {
    const running = client.startShards(1);
    running.catch(() => undefined);
    await expect.poll(() => client.shardManager.status()[0]?.state, { timeout: 20_000 }).toBe('ready');
    for (const content of ['one', 'two', 'three']) emulator.simulate.groupAtMessage({ content });
    if (onThreads) {
      await emulator.recorder.waitForCount(
        (r) => r.kind === 'rest' && r.method === 'POST' && r.path.endsWith('/messages'),
        3,
      );
    } else await expect.poll(() => handled.length, { timeout: 10_000 }).toBe(3);
    await expect
      .poll(() => client.shardManager.status()[0]?.seq, { timeout: 5_000 })
      .toBeGreaterThanOrEqual(3);
    const old = client.shardManager.status()[0]!;
    emulator.faults.invalidSession(0, false);
    await expect.poll(() => replaced(errors).length, { timeout: 15_000 }).toBe(1);
    const error = replaced(errors)[0] as ClientError & { seq: number | null; sessionId: string };
    expect(error.sessionId).toBe(old.sessionId);
    expect(error.seq).toBe(old.seq);
  } finally {
    await client.shutdown();
    await emulator.stop();
  }
}

describe('SessionReplacedError.seq', () => {
  it('in-thread: op 9 while ready names the last seq', () => run(false), 40_000);
  it('handlers on worker threads: op 9 while ready names the last seq', () => run(true), 40_000);
});
