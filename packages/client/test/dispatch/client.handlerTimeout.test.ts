import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DispatchPayload, DispatchSink, EventSource } from '@bot/gateway';
import {
  Client,
  DEFAULT_HANDLER_TIMEOUT_MS,
  HandlerTimeoutError,
  Intents,
  Token,
  ValidationError,
  createLogger,
  type C2CMessage,
  type ClientError,
  type EventHandler,
} from '@bot/client';
import { c2cDispatch } from '../support/c2cDispatch.js';

const handler: EventHandler = { c2cMessageCreate: () => undefined };
const base = () =>
  Client.builder(new Token('app', 'secret'), Intents.default())
    .logger(createLogger('test', 7))
    .eventHandler(handler);

/** A source handing its events over one by one, recording which ones the client handled. */
class ListSource implements EventSource {
  public readonly handled: string[] = [];
  #stop!: () => void;

  public constructor(private readonly events: DispatchPayload[]) {}

  public async start(sink: DispatchSink): Promise<void> {
    const stopped = new Promise<void>((resolve) => (this.#stop = resolve));
    for (const payload of this.events)
      void sink(payload, 0).then(
        () => void this.handled.push(payload.id ?? ''),
        () => undefined,
      );
    await stopped;
  }

  public async stop(): Promise<void> {
    this.#stop();
  }
}

describe('ClientBuilder.handlerTimeout', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is 60 s unless set, and reads back what was set', () => {
    expect(DEFAULT_HANDLER_TIMEOUT_MS).toBe(60_000);
    expect(base().getHandlerTimeout()).toBe(60_000);
    expect(base().handlerTimeout(1_500).getHandlerTimeout()).toBe(1_500);
    expect(base().handlerTimeout(Number.POSITIVE_INFINITY).getHandlerTimeout()).toBe(Infinity);
  });

  it('refuses a deadline that is not a positive duration a timer can hold, naming handlerTimeout', async () => {
    for (const ms of [0, -1, Number.NaN, 2 ** 31, Number.NEGATIVE_INFINITY, '60000', null]) {
      const error = await base()
        .handlerTimeout(ms as number)
        .build()
        .catch((failure: unknown) => failure);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ field: 'handlerTimeout' });
      expect((error as ValidationError).message).toContain('Infinity');
    }
  });

  it('builds with the largest timer delay and with the deadline off', async () => {
    for (const ms of [2 ** 31 - 1, Number.POSITIVE_INFINITY]) {
      const client = await base().handlerTimeout(ms);
      expect(client).toBeInstanceOf(Client);
      await client.shutdown();
    }
  });

  it('lets a sequential client go on past a handler that never settles, reporting it, and its source acknowledges the event', async () => {
    vi.useFakeTimers();
    const errors: ClientError[] = [];
    const seen: string[] = [];
    const client = await base()
      .dispatchPolicy({ mode: 'sequential' })
      .handlerTimeout(2_000)
      .eventHandler({
        c2cMessageCreate(_ctx, message: C2CMessage) {
          seen.push(message.content);
          return message.content === 'stuck' ? new Promise<void>(() => undefined) : undefined;
        },
        error: (error) => void errors.push(error),
      });
    const source = new ListSource([c2cDispatch('e1', 'stuck'), c2cDispatch('e2', 'after')]);
    const running = client.startFrom(source);

    await vi.advanceTimersByTimeAsync(1_999);
    expect(seen).toEqual(['stuck']);
    await vi.advanceTimersByTimeAsync(1);
    expect(seen).toEqual(['stuck', 'after']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(HandlerTimeoutError);
    expect(errors[0]).toMatchObject({ eventId: 'e1', shardId: 0, timeoutMs: 2_000, ranMs: 2_000 });
    expect(source.handled).toEqual(['e1', 'e2']);

    const stopping = client.shutdown();
    await vi.advanceTimersByTimeAsync(0);
    await stopping;
    await running;
    expect(vi.getTimerCount()).toBe(0);
  });

  it('clears the deadline timer of a handler still running when shutdown() gives up on it', async () => {
    vi.useFakeTimers();
    const errors: ClientError[] = [];
    const client = await base().eventHandler({
      c2cMessageCreate: () => new Promise<void>(() => undefined),
      error: (error) => void errors.push(error),
    });
    const source = new ListSource([c2cDispatch('e1')]);
    const running = client.startFrom(source);
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.getTimerCount()).toBe(1);

    const stopping = client.shutdown({ deadlineMs: 1_000 });
    await vi.advanceTimersByTimeAsync(1_000);
    await stopping;
    await running;
    expect(errors.map((error) => error.kind)).toEqual(['abandoned']);
    expect(vi.getTimerCount()).toBe(0);
  });
});
