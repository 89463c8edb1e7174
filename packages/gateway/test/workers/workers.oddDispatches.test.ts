import { afterEach, describe, expect, it, vi } from 'vitest';
import { ShardManager, workerThreads, type DispatchPayload } from '@bot/gateway';
import { FakeGateway } from '../support/FakeGateway.js';
import { FakeTokens, silentLogger } from '../support/harness.js';
import { WAIT } from './support/waits.js';

// A shard delivers what the platform sends as long as it is a dispatch with an event name: a bad
// seq is reported and kept out of the resume point, an empty name or an odd id passes as it came.
// On a worker thread the main thread checks what crosses; it must take all of that too, or one odd
// frame stops the thread, whose shards resume before it, get it again and stop it again.

let gateway: FakeGateway | undefined;
let manager: ShardManager | undefined;

afterEach(async () => {
  await manager?.shutdownAll();
  await gateway?.close();
  manager = undefined;
  gateway = undefined;
});

/** Frames a shard passes on as dispatches, though odd: as the platform could send them. */
const ODD_FRAMES = [
  '{"op":0,"s":1e400,"t":"INFINITE_SEQ","d":{}}',
  '{"op":0,"s":"7","t":"TEXT_SEQ","d":{}}',
  '{"op":0,"s":-3,"t":"NEGATIVE_SEQ","d":{}}',
  '{"op":0,"s":2.5,"t":"FRACTION_SEQ","d":{}}',
  '{"op":0,"s":9007199254740993,"t":"UNSAFE_SEQ","d":{}}',
  '{"op":0,"t":"","d":{}}',
  `{"op":0,"t":"${'LONG_NAME_'.repeat(20)}","d":{}}`,
  '{"op":0,"t":"NUMBER_ID","id":7,"d":{}}',
  `{"op":0,"t":"LONG_ID","id":"${'i'.repeat(300)}","d":{}}`,
  '{"op":0,"t":"OBJECT_ID","id":{"nested":true},"d":{}}',
];

describe('odd dispatches from the platform, through a worker thread', () => {
  it('each reaches the main thread as the shard delivered it; the thread keeps running and the resume point counts only valid seqs', async () => {
    const fake = await FakeGateway.start({ heartbeatInterval: 40_000 });
    gateway = fake;
    const started = new ShardManager({
      intents: 1 << 30,
      tokens: new FakeTokens(),
      gateway: {
        gatewayBot: () =>
          Promise.resolve({
            url: fake.url,
            shards: 1,
            session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
          }),
      },
      logger: silentLogger(),
      strategy: workerThreads({ workers: 1, maxRestarts: 0 }),
    });
    manager = started;
    const errors: Error[] = [];
    started.on('error', (error) => errors.push(error));
    const dispatched: DispatchPayload[] = [];
    started.on('dispatch', (payload) => dispatched.push(payload));
    void started.start().catch(() => undefined);
    await vi.waitFor(() => expect(started.status()[0]?.state).toBe('ready'), { ...WAIT, timeout: 10_000 });

    for (const frame of ODD_FRAMES) fake.last.send(frame);
    fake.last.send({ op: 0, s: 2, t: 'AT_MESSAGE_CREATE', id: 'm2', d: {} });
    await vi.waitFor(() => expect(dispatched.map((payload) => payload.t)).toContain('AT_MESSAGE_CREATE'), {
      ...WAIT,
      timeout: 10_000,
    });

    expect(dispatched.map((payload) => payload.t)).toEqual([
      'READY',
      ...ODD_FRAMES.map((frame) => (JSON.parse(frame) as { t: string }).t),
      'AT_MESSAGE_CREATE',
    ]);
    expect(dispatched.find((payload) => payload.t === 'OBJECT_ID')?.id).toEqual({ nested: true });
    expect(started.status()[0]).toMatchObject({ state: 'ready', seq: 2, reconnects: 0 });
    expect(fake.connections).toHaveLength(1);
    // The shard's own reports of the bad seqs, and nothing of a thread stopped.
    expect(errors.map((error) => error.message)).toEqual(
      Array.from({ length: 5 }, () => expect.stringMatching(/carried an invalid seq/)),
    );
  }, 20_000);
});
