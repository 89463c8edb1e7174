import { describe, expect, it, vi } from 'vitest';
import { AbandonedEventsError, createLogger, HandlerError, type EventHandler } from '@bot/client';
import { printableError } from '../src/util/printableError.js';
import { printedWhile } from './support/printedLog.js';
import {
  callHook,
  describeHandler,
  eventName,
  handlerCallsOf,
  reportToHandlers,
} from '../src/dispatch/handlerHooks.js';

function quietLogger() {
  const log = createLogger('test', 0);
  const errors = vi.spyOn(log, 'error').mockImplementation(() => undefined);
  return { log, errors };
}

const shardStatus = { shardId: 0, state: 'ready', previous: 'identifying' } as const;

describe('handler hooks', () => {
  it('names a handler by its class and registration index, and a plain object as "handler"', () => {
    class Bot {}
    const bot = new Bot();
    const plain = {};
    const bare = Object.create(null) as object;
    const all = [plain, bot, bare];
    expect(describeHandler(bot, all)).toBe('Bot#1');
    expect(describeHandler(plain, all)).toBe('handler#0');
    expect(describeHandler(bare, all)).toBe('handler#2');
  });

  it('files an event under its name, or its opcode when it has none', () => {
    expect(eventName({ op: 0, t: 'READY', d: {} })).toBe('READY');
    expect(eventName({ op: 11, d: null })).toBe('op 11');
  });

  it('resolves the implementations of one event method in registration order, with their labels', () => {
    class First {
      public messageCreate(): void {}
    }
    class Second {}
    class Third {
      public messageCreate(): void {}
    }
    const handlers = [new First(), new Second(), new Third()] as EventHandler[];
    const calls = handlerCallsOf(handlers, 'messageCreate');
    expect(calls.map((call) => call.label)).toEqual(['First#0.messageCreate', 'Third#2.messageCreate']);
    expect(calls.map((call) => call.handler)).toEqual([handlers[0], handlers[2]]);
  });

  it('calls a hook on every handler in order, and reports a throwing one to error() without stopping', async () => {
    const seen: string[] = [];
    const reported: unknown[] = [];
    const handlers: EventHandler[] = [
      {
        shardStatus: () => {
          seen.push('first');
          throw new Error('boom');
        },
        error: (error) => void reported.push(error),
      },
      { shardStatus: async () => void seen.push('second') },
    ];
    const { log } = quietLogger();
    await callHook(handlers, log, 'shardStatus', shardStatus);
    expect(seen).toEqual(['first', 'second']);
    expect(reported).toHaveLength(1);
    expect(reported[0]).toBeInstanceOf(HandlerError);
    expect(reported[0]).toMatchObject({ event: 'shardStatus', shardId: undefined, handler: 'handler#0' });
  });

  it('logs an error no handler takes, and an error() that throws, and still tells the next handler', async () => {
    const { log, errors } = quietLogger();
    const failure = new HandlerError('READY', 0, 'Bot#0.ready', new Error('x'));
    await reportToHandlers([{}], log, failure, undefined);
    const thrown = failure.cause as Error;
    expect(errors).toHaveBeenCalledWith(
      failure.message,
      expect.objectContaining({ name: 'Error', message: 'x', stack: thrown.stack }),
    );

    errors.mockClear();
    const told: unknown[] = [];
    await reportToHandlers(
      [
        {
          error: () => {
            throw new Error('error() broke');
          },
        },
        { error: (error) => void told.push(error) },
      ],
      log,
      failure,
      undefined,
    );
    expect(told).toEqual([failure]);
    expect(errors).toHaveBeenCalledTimes(1);
    expect(errors.mock.calls[0]?.[0]).toBe('error() of handler#0 threw while handling an error');
  });

  it('logs an unhandled failure with the stack of what the handler threw, or its own without an Error cause', async () => {
    const lines: Array<{ message: unknown; error: { stack?: unknown } | undefined }> = [];
    const log = createLogger('test', 0);
    log.settings.type = 'hidden';
    log.attachTransport((record) => {
      const entry = record as Record<string, unknown>;
      lines.push({ message: entry['0'], error: entry['1'] as { stack?: unknown } | undefined });
    });
    function userLine(): never {
      throw new Error('boom');
    }
    const handlers: EventHandler[] = [{ shardStatus: () => userLine() }];
    await callHook(handlers, log, 'shardStatus', shardStatus);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.message).toBe('handler#0 failed on shardStatus: boom');
    expect(JSON.stringify(lines[0]?.error)).toContain('userLine');

    lines.length = 0;
    const plain = new HandlerError('READY', 0, 'Bot#0.ready', 'not an Error');
    await reportToHandlers([{}], log, plain, undefined);
    expect(lines[0]?.error).toBeDefined();
    expect(JSON.stringify(lines[0]?.error)).toContain('HandlerError');
  });

  it('prints the cause of an unhandled failure on its line, and the name only as its name', async () => {
    class DbError extends Error {
      public override readonly name = 'DbError';
    }
    const output = await printedWhile(async (log) => {
      const handlers: EventHandler[] = [
        {
          shardStatus: () => {
            throw new Error('saving failed', { cause: new DbError('ECONNRESET from db') });
          },
        },
      ];
      await callHook(handlers, log, 'shardStatus', shardStatus);
    });
    expect(output).toContain('handler#0 failed on shardStatus: saving failed');
    expect(output).toContain('saving failed, DbError: ECONNRESET from db');
    expect(output).not.toMatch(/saving failed, Error\b/); // the name is not printed as a field
  });

  it('prints a chain of causes to a bounded depth, and a cause that is no Error by its contents', () => {
    let chain: unknown = { code: 'E_DEEP' };
    for (let level = 9; level >= 0; level--) chain = new Error(`level ${level}`, { cause: chain });
    const printed = printableError(chain) as Error;
    const names: string[] = [];
    let link: unknown = printed;
    while (link instanceof Error) {
      names.push(link.message);
      link = link.cause;
    }
    expect(names).toEqual(['level 0', 'level 1', 'level 2', 'level 3']);
    expect(link).toBe('Error: level 4'); // past the depth: its name and message as text
    const odd = printableError(new Error('odd', { cause: { code: 'E_ODD', detail: { at: 1 } } })) as Error;
    expect(String(odd.cause)).toContain("code: 'E_ODD'");
    expect(Object.keys(printed)).toEqual([]); // nothing of its own a logger would append
  });

  it('prints an error no handler takes as its name, message and stack, not its fields as [object Object]', async () => {
    const payload = { op: 0, s: 7, t: 'GROUP_AT_MESSAGE_CREATE', id: 'e1', d: {} };
    const abandoned = new AbandonedEventsError(
      [{ shardId: 0, seq: 7, event: 'GROUP_AT_MESSAGE_CREATE', id: 'e1', started: true, payload }],
      1000,
    );
    const output = await printedWhile((log) => reportToHandlers([{}], log, abandoned, undefined));
    expect(output).not.toContain('[object Object]');
    expect(output).toContain(abandoned.message);
    expect(output).toContain('AbandonedEventsError');
    expect(output).toContain('handlerHooks.test.ts'); // the stack: where the error was made
    expect(output).not.toMatch(/1000, abandoned/); // the error's own fields are not appended
  });
});
