/**
 * Races of `restart()`:
 *
 * - Called in the instant after a connection attempt ended, before the shard planned the next
 *   (from an `error` listener of the report an ending connection makes), it went to the attempt
 *   that had just ended and was lost: the shard waited out its back-off all the same.
 * - Called as the shard became fatal (from a listener of its `FatalGatewayError`), it went to the
 *   run that had just ended and was lost: the shard stayed fatal. It starts the shard again now.
 *   So does one called as a connection ends (as in the first race) when that end is fatal: it only
 *   hurried a wait that never came.
 * - Called next to `close({ invalidateSession: true })`, it closed the socket with 4000 (keeping
 *   the session resumable on the platform's side) before the close could send 1000: the session
 *   the user asked to end lived on. The close wins now when called in the same synchronous run;
 *   a restart after it throws, saying why. A close a microtask or more later found the socket
 *   closed with 4000 and no other of the session open: it forgot the session here, but the
 *   platform kept it. It now resumes the session on a connection of its own and closes that with
 *   1000 once RESUMED arrives (the same against the emulator: shard.restartThenInvalidate).
 */
import { describe, expect, it } from 'vitest';
import { FatalGatewayError, GatewayError, type Shard } from '@bot/gateway';
import type { FakeConnection } from './support/FakeGateway.js';
import { advanceBy, advanceUntil, makeShard, settleIo } from './support/harness.js';
import { useFakeGateway } from './support/useFakeGateway.js';

/** The close code the gateway received from the shard on `connection`. */
function closeCodeOf(connection: FakeConnection): Promise<number> {
  return new Promise((resolve) => connection.socket.once('close', (code) => resolve(code)));
}

/** Sends `connection` 15 dispatches with a bad seq: past the first few, they are counted and reported as it ends. */
function sendBadSeqs(connection: FakeConnection): void {
  for (let i = 0; i < 15; i++)
    connection.send({ op: 0, s: 'bad', t: 'AT_MESSAGE_CREATE', id: `bad-${i}`, d: {} });
}

/**
 * Restarts `shard` from the report of the bad seqs counted on a connection, made as the connection
 * ends, before the shard plans what comes next.
 */
function restartOnCountReport(shard: Shard): { count: number } {
  const restarted = { count: 0 };
  shard.on('error', (error) => {
    if (!error.message.includes('on the connection that ended')) return;
    restarted.count++;
    shard.restart();
  });
  return restarted;
}

describe('restart() races', () => {
  const fake = useFakeGateway({ heartbeatInterval: 40_000 });

  it('takes effect when called as a connection ends, before the next attempt is planned', async () => {
    // A back-off long enough to see: the second reconnect in a row waits 60 s unless restarted.
    const { shard } = makeShard(fake.gateway.url, { backoff: { baseMs: 60_000, maxMs: 60_000 } });
    const delays: number[] = [];
    shard.on('close', (event) => delays.push(event.delayMs));
    const restarted = restartOnCountReport(shard);
    await shard.start();
    fake.gateway.last.close(4009);
    await advanceUntil(() => fake.gateway.connections.length === 2 && shard.state === 'ready', 5_000);
    const second = fake.gateway.last;
    sendBadSeqs(second);
    await advanceBy(500, 100);
    second.close(4009);
    await advanceUntil(() => restarted.count === 1, 5_000);
    await advanceBy(2_000, 100);
    expect(delays).toEqual([0, 0]);
    expect(fake.gateway.connections).toHaveLength(3);
    expect(shard.state).toBe('ready');
    await shard.close();
  });

  it('starts the shard again when called as the shard becomes fatal', async () => {
    const { shard } = makeShard(fake.gateway.url, { closeCodes: { 4900: 'fatal' } });
    let restarted = false;
    shard.on('error', (error) => {
      if (!(error instanceof FatalGatewayError) || restarted) return;
      restarted = true;
      shard.restart();
    });
    await shard.start();
    fake.gateway.last.close(4900);
    await advanceUntil(() => restarted, 5_000);
    await advanceBy(10_000, 500);
    expect(fake.gateway.connections).toHaveLength(2);
    expect(shard.state).toBe('ready');
    await shard.close();
  });

  it('starts the shard again when called as a connection ends whose close is fatal', async () => {
    const { shard } = makeShard(fake.gateway.url, { closeCodes: { 4900: 'fatal' } });
    const restarted = restartOnCountReport(shard);
    let fatal = 0;
    shard.on('error', (error) => {
      if (error instanceof FatalGatewayError) fatal++;
    });
    await shard.start();
    sendBadSeqs(fake.gateway.last);
    await advanceBy(500, 100);
    fake.gateway.last.close(4900);
    await advanceUntil(() => restarted.count === 1 && fatal === 1, 5_000);
    await advanceBy(10_000, 500);
    expect(fake.gateway.connections).toHaveLength(2);
    expect(shard.state).toBe('ready');
    await shard.close();
  });

  it('called as a connection ends whose close is fatal, loses to a close() as the shard becomes fatal', async () => {
    const { shard } = makeShard(fake.gateway.url, { closeCodes: { 4900: 'fatal' } });
    const restarted = restartOnCountReport(shard);
    let closing: Promise<unknown> | undefined;
    shard.on('error', (error) => {
      if (error instanceof FatalGatewayError) closing ??= shard.close();
    });
    await shard.start();
    sendBadSeqs(fake.gateway.last);
    await advanceBy(500, 100);
    fake.gateway.last.close(4900);
    await advanceUntil(() => restarted.count === 1 && closing !== undefined, 5_000);
    await closing;
    await advanceBy(10_000, 500);
    expect(fake.gateway.connections).toHaveLength(1);
    expect(shard.state).toBe('fatal');
  });

  // Before restart() could start a fatal shard again, 'restart() then close()' passed as well (the
  // restart was lost); it fails, with the refused start as an unhandled rejection, if close() stops
  // cancelling the restart. 'close() then restart()' failed then: the restart was lost unsaid.
  it.each(['restart() then close()', 'close() then restart()'])(
    'a close() next to it, as the shard becomes fatal, wins: %s',
    async (order) => {
      const { shard } = makeShard(fake.gateway.url, { closeCodes: { 4900: 'fatal' } });
      let closing: Promise<unknown> | undefined;
      let refused: unknown;
      shard.on('error', (error) => {
        if (!(error instanceof FatalGatewayError) || closing !== undefined) return;
        if (order === 'restart() then close()') {
          shard.restart();
          closing = shard.close();
          return;
        }
        closing = shard.close();
        try {
          shard.restart();
        } catch (thrown) {
          refused = thrown;
        }
      });
      await shard.start();
      fake.gateway.last.close(4900);
      await advanceUntil(() => closing !== undefined, 5_000);
      await closing;
      await advanceBy(10_000, 500);
      expect(fake.gateway.connections).toHaveLength(1);
      expect(shard.state).toBe('fatal');
      if (order === 'close() then restart()') {
        expect(refused).toBeInstanceOf(GatewayError);
        expect((refused as Error).message).toMatch(/is closing: restart\(\) has no effect/);
      }
    },
  );

  it.each(['restart() then close()', 'close() then restart()'])(
    'close({ invalidateSession: true }) wins over a racing restart: %s',
    async (order) => {
      const { shard } = makeShard(fake.gateway.url);
      await shard.start();
      const code = closeCodeOf(fake.gateway.last);
      let closing: Promise<unknown>;
      let refused: unknown;
      if (order === 'restart() then close()') {
        shard.restart();
        closing = shard.close({ invalidateSession: true });
      } else {
        closing = shard.close({ invalidateSession: true });
        try {
          shard.restart();
        } catch (error) {
          refused = error;
        }
      }
      await advanceBy(1_000, 100);
      await closing;
      expect(await code).toBe(1000);
      expect(shard.state).toBe('closed');
      expect(shard.status().sessionId).toBeUndefined();
      expect(fake.gateway.connections).toHaveLength(1);
      if (order === 'close() then restart()') {
        expect(refused).toBeInstanceOf(GatewayError);
        expect((refused as Error).message).toMatch(
          /is closing: restart\(\) has no effect.*start it again once close\(\) has resolved/,
        );
      }
    },
  );

  it.each(['a microtask', 'socket I/O'])(
    'a close({ invalidateSession: true }) %s after it resumes the session to close it with 1000',
    async (gap) => {
      const { shard } = makeShard(fake.gateway.url);
      await shard.start();
      const code = closeCodeOf(fake.gateway.last);
      const frames: string[] = [];
      const codes = new Map<number, Promise<number>>();
      fake.gateway.on('connection', (connection: FakeConnection) => {
        codes.set(fake.gateway.connections.indexOf(connection), closeCodeOf(connection));
      });
      fake.gateway.on('frame', (frame: { op: number; connection: FakeConnection }) => {
        if (frame.op === 1) return;
        frames.push(`${fake.gateway.connections.indexOf(frame.connection)}:op${frame.op}`);
      });
      let dispatches = 0;
      shard.on('dispatch', () => dispatches++);
      shard.restart();
      if (gap === 'a microtask') await Promise.resolve();
      else await settleIo();
      const closing = shard.close({ invalidateSession: true });
      await advanceBy(1_000, 100);
      expect(await closing).toBeUndefined();
      // The restart had closed the socket with 4000 already.
      expect(await code).toBe(4000);
      // One Resume (op 6), on the last connection, and no Identify (op 2): a closing shard starts
      // no session. Its RESUMED is not delivered.
      const last = fake.gateway.connections.length - 1;
      expect(frames).toEqual([`${last}:op6`]);
      expect(await codes.get(last)).toBe(1000);
      expect(dispatches).toBe(0);
      expect(shard.state).toBe('closed');
      expect(shard.status().sessionId).toBeUndefined();
    },
  );

  it('reports a session it could not end on the platform: the resume went unanswered within the grace', async () => {
    const { shard } = makeShard(fake.gateway.url);
    const errors: Error[] = [];
    shard.on('error', (error) => errors.push(error));
    await shard.start();
    fake.gateway.options.swallowResume = true;
    shard.restart();
    await settleIo();
    const closing = shard.close({ invalidateSession: true, graceMs: 2_000 });
    await advanceBy(3_000, 100);
    expect(await closing).toBeUndefined();
    expect(fake.gateway.received(6).length).toBeGreaterThan(0);
    expect(errors.map((error) => error.message)).toEqual([
      expect.stringMatching(
        /could not end the session on the platform: resuming it to close it with 1000 got no RESUMED within \d+ ms; it stays resumable there until it expires/,
      ),
    ]);
    expect(shard.state).toBe('closed');
  });
});
