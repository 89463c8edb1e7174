import { describe, expect, it } from 'vitest';
import type { DispatchPayload, DispatchSink, EventSource } from '@bot/gateway';
import { Client, Intents, Token, createLogger, type C2CMessage, type Context } from '@bot/client';
import { DedupeWindow } from '../src/dispatch/DedupeWindow.js';

describe('DedupeWindow ids', () => {
  it('never takes a value that is not a string for a repeat, nor throws on one', () => {
    const window = new DedupeWindow(16);
    for (const id of [123, 456, true, false, { a: 1 }, ['a', 'b'], null, 123, true]) {
      expect(window.check(id)).toBe(false);
    }
    expect(window.size).toBe(0);
    expect(window.check('123')).toBe(false);
    expect(window.check('123')).toBe(true);
  });
});

/** Hands a fixed list of payloads to the client, then waits to be stopped. */
class ListSource implements EventSource {
  #stop!: () => void;

  public constructor(private readonly payloads: DispatchPayload[]) {}

  public async start(sink: DispatchSink): Promise<void> {
    const stopped = new Promise<void>((resolve) => (this.#stop = resolve));
    for (const payload of this.payloads) await sink(payload, undefined);
    await stopped;
  }

  public async stop(): Promise<void> {
    this.#stop();
  }
}

describe('Client dedupe with ids that are not strings', () => {
  it('handles every event whose id is not a string instead of merging them', async () => {
    const handled: string[] = [];
    const client = await Client.builder(new Token('app', 'secret'), Intents.default())
      .logger(createLogger('test', 7))
      .eventHandler({
        c2cMessageCreate(_ctx: Context, message: C2CMessage) {
          handled.push(message.content);
        },
      });
    // Ids as a source that skipped validation could hand them over (JSON numbers, booleans, objects).
    const ids: unknown[] = [123, 456, true, { id: 'x' }, ['y']];
    const payloads = ids.map(
      (id, index) =>
        ({
          op: 0,
          t: 'C2C_MESSAGE_CREATE',
          id,
          d: {
            id: `msg-${index}`,
            content: `event ${index}`,
            timestamp: '2026-01-01T00:00:00+08:00',
            author: { user_openid: 'U1' },
          },
        }) as DispatchPayload,
    );
    const running = client.startFrom(new ListSource(payloads));
    await expect.poll(() => handled).toHaveLength(ids.length);
    expect(handled).toEqual(['event 0', 'event 1', 'event 2', 'event 3', 'event 4']);
    await client.shutdown();
    await running;
  });
});
