import { describe, expect, it } from 'vitest';
import type { DispatchPayload, DispatchSink, EventSource } from '@bot/gateway';
import {
  AbandonedEventsError,
  Client,
  Intents,
  Token,
  createLogger,
  type C2CMessage,
  type ClientError,
} from '@bot/client';
import { c2cDispatch } from './support/c2cDispatch.js';

/**
 * A source shaped like a broker consumer: hands one batch to the sink concurrently, acknowledges
 * each event whose dispatch resolved and leaves the rejected ones pending; `stop()` waits for the
 * batch, as a consumer does before it lets go.
 */
class BatchSource implements EventSource {
  public readonly acknowledged: string[] = [];
  public readonly pending: Array<{ id: string; reason: unknown }> = [];
  #batch: Promise<unknown> = Promise.resolve();
  #stop!: () => void;

  public constructor(private readonly batch: DispatchPayload[]) {}

  public async start(sink: DispatchSink): Promise<void> {
    const stopped = new Promise<void>((resolve) => (this.#stop = resolve));
    this.#batch = Promise.all(
      this.batch.map((payload) =>
        sink(payload, 0).then(
          () => void this.acknowledged.push(payload.id ?? ''),
          (reason: unknown) => void this.pending.push({ id: payload.id ?? '', reason }),
        ),
      ),
    );
    await stopped;
    await this.#batch;
  }

  public async stop(): Promise<void> {
    this.#stop();
    await this.#batch;
  }
}

describe('Client.shutdown with a source waiting on abandoned events', () => {
  it('settles every abandoned dispatch as not handled, so startFrom resolves and the source acknowledges none of them', async () => {
    const errors: ClientError[] = [];
    const started: string[] = [];
    const client = await Client.builder(new Token('app', 'secret'), Intents.default())
      .logger(createLogger('test', 7))
      .dispatchPolicy({ mode: 'sequential' })
      .eventHandler({
        c2cMessageCreate(_ctx, message: C2CMessage) {
          started.push(message.content);
          return new Promise<void>(() => undefined); // never settles
        },
        error: (error) => void errors.push(error),
      });
    const source = new BatchSource([
      c2cDispatch('e1', 'one'),
      c2cDispatch('e2', 'two'),
      c2cDispatch('e3', 'three'),
    ]);
    const running = client.startFrom(source);
    await expect.poll(() => started).toEqual(['one']);

    await client.shutdown({ deadlineMs: 50 });
    await running; // the source's stop and start end once every dispatch of the batch has settled

    expect(source.acknowledged).toEqual([]);
    expect(source.pending.map((each) => each.id).sort()).toEqual(['e1', 'e2', 'e3']);
    const report = errors.find((error) => error instanceof AbandonedEventsError);
    expect(report?.events.map((event) => [event.id, event.started])).toEqual([
      ['e1', true],
      ['e2', false],
      ['e3', false],
    ]);
    for (const { reason } of source.pending) expect(reason).toBe(report);
  });

  it('still acknowledges the events of the batch that were handled before the deadline', async () => {
    const client = await Client.builder(new Token('app', 'secret'), Intents.default())
      .logger(createLogger('test', 7))
      .dispatchPolicy({ mode: 'sequential' })
      .eventHandler({
        c2cMessageCreate(_ctx, message: C2CMessage) {
          if (message.content === 'stuck') return new Promise<void>(() => undefined);
          return undefined;
        },
        error: () => undefined,
      });
    const source = new BatchSource([
      c2cDispatch('e1', 'quick'),
      c2cDispatch('e2', 'stuck'),
      c2cDispatch('e3', 'after'),
    ]);
    const running = client.startFrom(source);
    await expect.poll(() => source.acknowledged).toEqual(['e1']);

    await client.shutdown({ deadlineMs: 50 });
    await running;

    expect(source.acknowledged).toEqual(['e1']);
    expect(source.pending.map((each) => each.id).sort()).toEqual(['e2', 'e3']);
  });
});
