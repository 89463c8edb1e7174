import { describe, expect, it } from 'vitest';
import type { DispatchPayload, DispatchSink, EventSource } from '@bot/gateway';
import {
  AbandonedEventsError,
  Client,
  Intents,
  SourceStopError,
  Token,
  createLogger,
  type ClientError,
  type EventHandler,
} from '@bot/client';
import { c2cDispatch } from './support/c2cDispatch.js';

/** A source that hands its events to the sink and whose `stop()` fails (its connection broke). */
class FailingStopSource implements EventSource {
  #stopped!: () => void;

  public constructor(private readonly events: DispatchPayload[]) {}

  public async start(sink: DispatchSink): Promise<void> {
    const stopped = new Promise<void>((resolve) => (this.#stopped = resolve));
    for (const payload of this.events) void sink(payload, 0).catch(() => undefined);
    await stopped;
  }

  public stop(): Promise<void> {
    this.#stopped();
    return Promise.reject(new Error('connection reset while stopping'));
  }
}

async function clientWith(handler: EventHandler): Promise<Client> {
  return Client.builder(new Token('app', 'secret'), Intents.default())
    .logger(createLogger('test', 7))
    .dispatchPolicy({ mode: 'sequential' })
    .eventHandler(handler);
}

describe('Client.shutdown with an event source whose stop fails', () => {
  it('reports the failure as a SourceStopError and still lets the handlers finish before it resolves', async () => {
    const errors: ClientError[] = [];
    const handled: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const client = await clientWith({
      async c2cMessageCreate(_ctx, message) {
        await gate;
        handled.push(message.content);
      },
      error: (error) => void errors.push(error),
    });
    const source = new FailingStopSource([c2cDispatch('e1'), c2cDispatch('e2')]);
    const running = client.startFrom(source);

    const stopping = client.shutdown({ deadlineMs: 10_000 });
    await expect.poll(() => errors.length).toBe(1);
    expect(handled).toEqual([]); // still waiting for the handlers: the failed stop ended nothing
    release();
    await stopping;
    await running;

    expect(handled).toEqual(['e1', 'e2']);
    expect(errors).toHaveLength(1);
    const [error] = errors;
    expect(error).toBeInstanceOf(SourceStopError);
    expect(error?.kind).toBe('gateway');
    expect(error?.message).toContain('connection reset while stopping');
    expect((error as SourceStopError).cause).toBeInstanceOf(Error);
  });

  it('gives up at the deadline on what is left and reports it, as when every source stops cleanly', async () => {
    const errors: ClientError[] = [];
    const client = await clientWith({
      c2cMessageCreate: () => new Promise<void>(() => undefined), // never settles
      error: (error) => void errors.push(error),
    });
    const running = client.startFrom(new FailingStopSource([c2cDispatch('e1'), c2cDispatch('e2')]));
    await client.shutdown({ deadlineMs: 50 });
    await running;

    expect(errors.filter((error) => error instanceof SourceStopError)).toHaveLength(1);
    const abandoned = errors.find((error) => error instanceof AbandonedEventsError);
    expect(abandoned?.events.map((event) => [event.id, event.started])).toEqual([
      ['e1', true],
      ['e2', false],
    ]);
  });
});
