import { afterEach, describe, expect, it } from 'vitest';
import { Deferred } from '@bot/core';
import { InMemorySessionStore } from '@bot/gateway';
import type { EmulatorRecord } from '@bot/testing';
import {
  AbandonedEventsError,
  ReplyStreamError,
  type C2CMessage,
  type Context,
  type ReplyStream,
} from '@bot/client';
import { startHarness, type Harness } from './support/harness.js';

const STREAM_ROUTE = 'POST /v2/users/{openid}/stream_messages';

/** Each stream frame the emulator answered: [index, input_state, HTTP status]. */
function framesOf(harness: Harness): Array<[number, number, number]> {
  return harness.emulator.recorder
    .filter((record) => record.kind === 'rest' && record.route === STREAM_ROUTE)
    .map((record) => {
      const rest = record as Extract<EmulatorRecord, { kind: 'rest' }>;
      const frame = rest.body as { index: number; input_state: number };
      return [frame.index, frame.input_state, rest.status];
    });
}

/**
 * A session store whose `delete` waits for `release`: a shutdown with `invalidateSessions` is
 * held inside `shardManager.shutdownAll`, after the first abort of the open streams.
 */
class HeldSessionStore extends InMemorySessionStore {
  public readonly reached = new Deferred<void>();
  public readonly release = new Deferred<void>();

  public override async delete(shardId: number): Promise<void> {
    this.reached.resolve();
    await this.release.promise;
    await super.delete(shardId);
  }
}

describe('streams opened while the client shuts down', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  it('a stream opened by a handler after the streams were aborted is closed (input_state done) before REST is released', async () => {
    const store = new HeldSessionStore();
    const handlerStarted = new Deferred<void>();
    const openStream = new Deferred<void>();
    let late: ReplyStream | undefined;
    const errors: unknown[] = [];
    harness = await startHarness(
      [
        {
          // Holds past the shutdown deadline (given up on), then streams while the shards close.
          async c2cMessageCreate(_ctx: Context, received: C2CMessage) {
            handlerStarted.resolve();
            await openStream.promise;
            late = received.replyStream({ intervalMs: 300 });
            late.write('late answer');
          },
          error: (error) => void errors.push(error),
        },
      ],
      (builder) => builder.sessionStore(store).gateway({ shutdownTimeoutMs: 60_000 }),
    );
    harness.emulator.simulate.c2cMessage({ content: 'hi' });
    await handlerStarted.promise;

    const stopping = harness.client.shutdown({ deadlineMs: 50, invalidateSessions: true });
    await store.reached.promise;
    openStream.resolve();
    await expect.poll(() => framesOf(harness!).length, { timeout: 5_000 }).toBe(1);
    store.release.resolve();
    await stopping;

    expect(framesOf(harness)).toEqual([
      [0, 1, 200],
      [1, 10, 200],
    ]);
    expect(errors).toEqual([expect.any(AbandonedEventsError)]);
    expect(late?.state).toBe('aborted');
    const ended = await late!.end().catch((error: unknown) => error);
    expect(ended).toBeInstanceOf(ReplyStreamError);
    expect(ended).toMatchObject({ failure: 'aborted' });
    // The cause is typed: a handler can tell a shutdown from its own abort().
    expect((ended as ReplyStreamError).cause).toBeInstanceOf(ReplyStreamError);
    expect((ended as ReplyStreamError).cause).toMatchObject({ failure: 'shutDown' });
  });

  it('replyStream() after shutdown throws ReplyStreamError (shutDown) and sends nothing', async () => {
    let message: C2CMessage | undefined;
    harness = await startHarness([
      {
        c2cMessageCreate(_ctx: Context, received: C2CMessage) {
          message = received;
        },
      },
    ]);
    harness.emulator.simulate.c2cMessage({ content: 'hi' });
    await expect.poll(() => message).toBeDefined();
    await harness.client.shutdown({ invalidateSessions: true });

    const refused = (() => {
      try {
        message!.replyStream();
        return undefined;
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(ReplyStreamError);
    expect(refused).toMatchObject({ failure: 'shutDown' });
    expect((refused as ReplyStreamError).message).toMatch(/client shut down/);
    expect(message!.replyWindow.used).toBe(0);
    expect(framesOf(harness)).toEqual([]);
  });
});
