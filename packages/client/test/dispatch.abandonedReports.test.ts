import { describe, expect, it } from 'vitest';
import { createLogger, type GatewayPayload } from '@bot/core';
import {
  AbandonedEventsError,
  HandlerError,
  MalformedEventError,
  type ClientError,
  type Context,
  type EventHandler,
  type RawEventHandler,
} from '@bot/client';
import { Dispatcher } from '../src/dispatch/Dispatcher.js';
import { ReplySequencer } from '../src/models/ReplySequencer.js';
import type { ModelBinding } from '../src/models/ModelBinding.js';
import { printedWhile } from './support/printedLog.js';
import { memberAdd } from './support/sequentialDispatcher.js';

interface Setup {
  handlers: EventHandler[];
  rawHandlers?: RawEventHandler[];
  contextFor?: () => Context;
  log?: ReturnType<typeof createLogger>;
}

function dispatcher({ handlers, rawHandlers = [], contextFor, log }: Setup): Dispatcher {
  return new Dispatcher({
    handlers,
    rawHandlers,
    policy: { mode: 'concurrent', limit: 8 },
    binding: { api: {}, replies: new ReplySequencer() } as unknown as ModelBinding,
    contextFor: contextFor ?? (() => ({}) as Context),
    log: log ?? createLogger('test', 7),
  });
}

/** A gate every slow handler waits at, opened once the shutdown has given up on its event. */
function gate(): { held: Promise<void>; release: () => void } {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  return { held, release };
}

describe('a failure reported after the shutdown gave up on its event', () => {
  // Each row: handlers still running when abandon() comes, failing once released, and the
  // handler labels their late HandlerErrors name.
  const rows: Array<{
    name: string;
    payload: GatewayPayload;
    setup: (held: Promise<void>, errors: ClientError[]) => Setup;
    labels: string[];
  }> = [
    {
      name: 'a raw handler',
      payload: memberAdd('e1'),
      setup: (held, errors) => ({
        handlers: [{ error: (error) => void errors.push(error) }],
        rawHandlers: [
          {
            async raw() {
              await held;
              throw new Error('raw late');
            },
          },
        ],
      }),
      labels: ['raw handler #0'],
    },
    {
      name: 'two handlers of the event',
      payload: memberAdd('e2'),
      setup: (held, errors) => ({
        handlers: [
          {
            async guildMemberAdd() {
              await held;
              throw new Error('first late');
            },
            error: (error) => void errors.push(error),
          },
          {
            guildMemberAdd() {
              throw new Error('second late');
            },
          },
        ],
      }),
      labels: ['handler#0.guildMemberAdd', 'handler#1.guildMemberAdd'],
    },
  ];

  it.each(rows)('marks the HandlerError of $name abandoned', async ({ payload, setup, labels }) => {
    const { held, release } = gate();
    const errors: ClientError[] = [];
    const events = dispatcher(setup(held, errors));
    events.deliver(0, payload);
    await Promise.resolve();

    const abandoned = events.abandon(50);
    expect(abandoned).toBeInstanceOf(AbandonedEventsError);
    expect(abandoned?.events.map((event) => event.id)).toEqual([payload.id]);
    release();
    await expect.poll(() => errors.length).toBe(labels.length);
    expect(errors.map((error) => (error as HandlerError).handler)).toEqual(labels);
    for (const error of errors) {
      expect(error).toBeInstanceOf(HandlerError);
      expect(error).toMatchObject({ kind: 'handler', abandoned: true, event: 'GUILD_MEMBER_ADD' });
    }
  });

  it('marks the MalformedEventError of a model built after an async raw handler abandoned', async () => {
    const { held, release } = gate();
    const errors: ClientError[] = [];
    const events = dispatcher({
      handlers: [{ guildMemberAdd() {}, error: (error) => void errors.push(error) }],
      rawHandlers: [{ raw: () => held }],
    });
    events.deliver(0, { op: 0, t: 'GUILD_MEMBER_ADD', id: 'e3', d: null });
    await Promise.resolve();

    expect(events.abandon(50)?.events.map((event) => event.id)).toEqual(['e3']);
    release();
    await expect.poll(() => errors.length).toBe(1);
    expect(errors[0]).toBeInstanceOf(MalformedEventError);
    expect(errors[0]).toMatchObject({ event: 'GUILD_MEMBER_ADD', eventId: 'e3', abandoned: true });
  });

  it('leaves the model failure of an event still waited for unmarked', async () => {
    const errors: ClientError[] = [];
    const events = dispatcher({
      handlers: [{ guildMemberAdd() {}, error: (error) => void errors.push(error) }],
    });
    events.deliver(0, { op: 0, t: 'GUILD_MEMBER_ADD', id: 'e4', d: null });
    await events.onIdle();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(MalformedEventError);
    expect(errors[0]).toMatchObject({ kind: 'malformedEvent', eventId: 'e4', abandoned: false });
  });
});

describe("a lane's last-resort log line", () => {
  /** The console output of a plain-text logger while an event's job throws `thrown` past its isolation. */
  function printedFor(thrown: unknown): Promise<string> {
    return printedWhile(async (log) => {
      const events = dispatcher({
        handlers: [{ guildMemberAdd() {} }],
        contextFor: () => {
          throw thrown;
        },
        log,
      });
      events.deliver(3, memberAdd('e5'));
      await events.onIdle();
    });
  }

  it('shows an escaped AbandonedEventsError by its name, message and stack, not its fields', async () => {
    const payload = memberAdd('e6');
    const error = new AbandonedEventsError(
      [{ shardId: 3, seq: 7, event: 'GUILD_MEMBER_ADD', id: 'e6', started: true, payload }],
      1000,
    );
    const output = await printedFor(error);
    expect(output).toContain('an event job escaped its isolation on lane 3');
    expect(output).toContain('AbandonedEventsError');
    expect(output).toContain(error.message);
    expect(output).toContain('dispatch.abandonedReports.test.ts'); // the stack: where it was made
    expect(output).not.toContain('[object Object]');
    expect(output).not.toMatch(/1000, abandoned/);
  });

  it('shows the cause of an escaped error', async () => {
    const output = await printedFor(new Error('context broke', { cause: new Error('ECONNRESET from db') }));
    expect(output).toContain('an event job escaped its isolation on lane 3');
    expect(output).toContain('context broke, Error: ECONNRESET from db');
  });
});
