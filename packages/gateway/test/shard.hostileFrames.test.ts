import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  GatewayError,
  qqProtocol,
  type DispatchPayload,
  type GatewayProtocol,
  type ShardOptions,
} from '@bot/gateway';
import { FakeGateway } from './support/FakeGateway.js';
import { advanceBy, advanceUntil, makeShard, useFakeClock } from './support/harness.js';

let gateway: FakeGateway;

beforeEach(() => {
  useFakeClock();
});

afterEach(async () => {
  vi.restoreAllMocks();
  vi.useRealTimers();
  await gateway.close();
});

/** A started shard on a fake gateway, with what it dispatched and reported. */
async function readyShard(shardOptions: Partial<ShardOptions> = {}) {
  gateway = await FakeGateway.start({ heartbeatInterval: 40_000 });
  const { shard } = makeShard(gateway.url, shardOptions);
  const dispatched: DispatchPayload[] = [];
  const errors: Error[] = [];
  shard.on('dispatch', (payload) => dispatched.push(payload));
  shard.on('error', (error) => errors.push(error));
  await shard.start();
  return { shard, dispatched, errors };
}

/** A JSON array nested `depth` deep: parsed fine, but recursing over it overflows the stack. */
function deepArray(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

/** A dispatch frame as the gateway's own sessions number them. */
function event(s: unknown, t = 'AT_MESSAGE_CREATE'): string {
  return JSON.stringify({ op: 0, s, t, id: `e${String(s)}`, d: { id: `m${String(s)}` } });
}

describe('Hostile frames never end the process', () => {
  it('reports a dispatch whose s is a 20 000-deep array by its type, and reads on', async () => {
    const { shard, dispatched, errors } = await readyShard();
    gateway.last.send(`{"op":0,"s":${deepArray(20_000)},"t":"AT_MESSAGE_CREATE","id":"deep","d":{}}`);
    gateway.last.send(event(2));
    await advanceUntil(() => dispatched.length === 3, 1_000);

    expect(dispatched.map((payload) => payload.id)).toEqual([expect.anything(), 'deep', 'e2']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(GatewayError);
    expect(errors[0]?.message).toMatch(
      /dispatch AT_MESSAGE_CREATE carried an invalid seq \(an array of 1 item\); delivered, but the resume point stays at 1/,
    );
    expect(shard.status()).toMatchObject({ state: 'ready', seq: 2, reconnects: 0 });
    await shard.close();
  });

  it('reports a frame not UTF-8 whose s is a 20 000-deep array, and reads on', async () => {
    const { shard, dispatched, errors } = await readyShard();
    gateway.last.socket.send(
      Buffer.concat([
        Buffer.from(`{"op":11,"s":${deepArray(20_000)},"x":"`),
        Buffer.from([0xff]),
        Buffer.from('"}'),
      ]),
      { binary: false },
    );
    gateway.last.send(event(2));
    await advanceUntil(() => dispatched.length === 2, 1_000);

    expect(errors.map((error) => error.message)).toEqual([
      expect.stringMatching(/^shard 0: frame op 11 seq \(an array of 1 item\) held bytes that are not UTF-8/),
    ]);
    expect(shard.status()).toMatchObject({ state: 'ready', seq: 2, reconnects: 0 });
    await shard.close();
  });

  it('names a 3 MB event name by a short preview and its length, in the error and nowhere whole', async () => {
    const { shard, dispatched, errors } = await readyShard();
    gateway.last.send({ op: 0, s: 'bad', t: 'Y'.repeat(3_000_000), d: {} });
    gateway.last.send(event(2));
    await advanceUntil(() => dispatched.length === 3, 1_000);

    expect(errors).toHaveLength(1);
    const message = errors[0]?.message ?? '';
    expect(message.length).toBeLessThan(400);
    expect(message).toContain('YYYY');
    expect(message).toContain('3000000 characters');
    expect(message).toMatch(/carried an invalid seq \(a string of 3 characters "bad"\)/);
    await shard.close();
  });

  it('reports a throw while handling one frame as a GatewayError and handles the next', async () => {
    let readyCalls = 0;
    const protocol: GatewayProtocol = {
      ...qqProtocol,
      readyShard(data) {
        readyCalls += 1;
        if (readyCalls > 1) throw new RangeError('Maximum call stack size exceeded');
        return qqProtocol.readyShard?.(data);
      },
    };
    const { shard, dispatched, errors } = await readyShard({ protocol });
    gateway.last.dispatch('READY', { session_id: 'again', shard: [0, 1] });
    gateway.last.dispatch('AT_MESSAGE_CREATE');
    await advanceUntil(() => dispatched.length === 2, 1_000);

    expect(dispatched.map((payload) => payload.t)).toEqual(['READY', 'AT_MESSAGE_CREATE']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(GatewayError);
    expect(errors[0]?.message).toMatch(
      /^shard 0: handling a frame threw: Maximum call stack size exceeded; the frame was dropped/,
    );
    expect((errors[0]?.cause as Error | undefined)?.cause).toBeInstanceOf(RangeError);
    expect(shard.status()).toMatchObject({ state: 'ready', seq: 3, reconnects: 0 });
    await shard.close();
  });
});

describe('Sequence numbers the session cannot have reached', () => {
  it('delivers and reports a seq far ahead, keeps the resume point, and goes on with the next ones', async () => {
    const { shard, dispatched, errors } = await readyShard();
    gateway.last.send(event(Number.MAX_SAFE_INTEGER));
    for (let s = 2; s <= 4; s++) gateway.last.send(event(s));
    await advanceUntil(() => dispatched.length === 5, 1_000);

    expect(dispatched.map((payload) => payload.s)).toEqual([1, Number.MAX_SAFE_INTEGER, 2, 3, 4]);
    expect(errors.map((error) => error.message)).toEqual([
      expect.stringMatching(
        /dispatch AT_MESSAGE_CREATE \(id e9007199254740991\) carried seq 9007199254740991, more than 1000 past the last one read \(1\); delivered, but the resume point stays at 1/,
      ),
    ]);
    expect(shard.status().seq).toBe(4);

    gateway.last.send({ op: 7 });
    await advanceUntil(() => gateway.received(6).length === 1, 5_000);
    expect(gateway.received(6)[0]?.d).toMatchObject({ seq: 4 });
    await shard.close();
  });

  it('takes a far jump the next seq continues: the session did move on there', async () => {
    const { shard, dispatched, errors } = await readyShard();
    gateway.last.send(event(5_000));
    gateway.last.send(event(5_001));
    gateway.last.send(event(5_002));
    await advanceUntil(() => dispatched.length === 4, 1_000);

    expect(errors).toHaveLength(1);
    expect(shard.status().seq).toBe(5_002);
    await shard.close();
  });

  it('reports each live dispatch whose seq went backwards, naming what it dropped', async () => {
    const { shard, dispatched, errors } = await readyShard();
    gateway.last.send(event(10));
    for (let s = 5; s <= 10; s++) gateway.last.send(event(s));
    gateway.last.send(event(11));
    await advanceUntil(() => dispatched.some((payload) => payload.s === 11), 1_000);

    expect(dispatched.map((payload) => payload.s)).toEqual([1, 10, 11]);
    expect(errors.map((error) => error.message)).toEqual(
      [5, 6, 7, 8, 9, 10].map((s) =>
        expect.stringMatching(
          new RegExp(
            `^shard 0: dropped dispatch AT_MESSAGE_CREATE \\(id e${s}\\) with seq ${s}: at or behind the last one read \\(10\\) outside a resume's replay`,
          ),
        ),
      ),
    );
    expect(shard.status().seq).toBe(11);
    await shard.close();
  });

  it("keeps dropping a resume's replay of what was read without a word", async () => {
    const { shard, dispatched, errors } = await readyShard();
    for (let i = 0; i < 3; i++) gateway.last.dispatch('AT_MESSAGE_CREATE');
    await advanceUntil(() => dispatched.length === 4, 1_000);
    const session = gateway.last.session;
    // The gateway answers the Resume with nothing: the test replays, from the start.
    gateway.options.swallowResume = true;
    gateway.last.close(4009);
    const next = await gateway.nextConnection();
    next.socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { op: number };
      if (frame.op !== 6 || session === undefined) return;
      // Replays every event from the first, as the platform does for a resume from 0.
      for (const replayed of session.history.slice(1)) next.socket.send(replayed);
      next.send({ op: 0, t: 'RESUMED', d: '' });
    });
    await advanceUntil(() => dispatched.some((payload) => payload.t === 'RESUMED'), 10_000);
    await advanceBy(200, 100);

    expect(dispatched.map((payload) => payload.s)).toEqual([1, 2, 3, 4, undefined]);
    expect(errors).toEqual([]);
    await shard.close();
  });
});

describe('Dispatches before the shard identified or resumed', () => {
  it('ignores and reports a READY and an event sent before Hello, then takes the READY that answers Identify', async () => {
    gateway = await FakeGateway.start({ hello: false });
    gateway.on('connection', (connection: FakeGateway['last']) => {
      connection.send({
        op: 0,
        s: 1,
        t: 'READY',
        d: {
          version: 1,
          session_id: 'unsolicited',
          user: { id: '1', username: 'b', bot: true },
          shard: [0, 1],
        },
      });
      connection.send({ op: 0, s: 2, t: 'AT_MESSAGE_CREATE', id: 'x', d: { id: 'x' } });
      connection.hello(40_000);
    });
    const { shard } = makeShard(gateway.url);
    const dispatched: DispatchPayload[] = [];
    const errors: Error[] = [];
    shard.on('dispatch', (payload) => dispatched.push(payload));
    shard.on('error', (error) => errors.push(error));
    const states: string[] = [];
    shard.on('state', (state) => states.push(state));
    let started = false;
    const start = shard.start().then(() => {
      started = true;
    });
    await advanceUntil(() => errors.length === 2, 5_000);
    expect(states).not.toContain('ready');
    expect(started).toBe(false);

    await advanceUntil(() => started, 10_000);
    await start;
    expect(dispatched.map((payload) => payload.t)).toEqual(['READY']);
    expect(shard.status().sessionId).toBe('session-1');
    expect(errors.map((error) => error.message)).toEqual([
      'shard 0: ignored dispatch READY with seq 1: it came before this connection sent Identify or Resume, and the platform sends events only after one',
      'shard 0: ignored dispatch AT_MESSAGE_CREATE (id x) with seq 2: it came before this connection sent Identify or Resume, and the platform sends events only after one',
    ]);
    await shard.close();
  });
});
