/**
 * An event's `t` and `id` are the platform's text (up to 128 and 512 characters of any kind): the
 * dispatcher's log lines and the error messages naming an event show them escaped, so a line break
 * or a terminal escape in them cannot end a log line and forge another one.
 */
import { describe, expect, it } from 'vitest';
import { createLogger, type GatewayPayload } from '@bot/core';
import type { ClientError, Context } from '@bot/client';
import { Dispatcher } from '../src/dispatch/Dispatcher.js';
import { ReplySequencer } from '../src/models/ReplySequencer.js';
import type { ModelBinding } from '../src/models/ModelBinding.js';
import { HandlerError } from '../src/errors/HandlerError.js';
import { HandlerTimeoutError } from '../src/errors/HandlerTimeoutError.js';
import { MalformedEventError } from '../src/errors/MalformedEventError.js';
import { AbandonedEventsError } from '../src/errors/AbandonedEventsError.js';
import { memberAdd } from './support/sequentialDispatcher.js';

const FORGED_T = 'AT_MESSAGE_CREATE\n2026-12-07 00:00:00.000\tFATAL\tbot\tforged line \u001b[2J';
const FORGED_ID = 'ev-1\r\n\u001b[31mFAKE\u009b2J\u2028';
/** Characters that end a line or start a terminal escape. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** A dispatcher logging at every level into `lines`, its raw handler throwing, errors into `errors`. */
function dispatcher(lines: string[], errors: ClientError[], held?: Promise<void>): Dispatcher {
  const log = createLogger('test', 0);
  log.settings.type = 'hidden';
  log.attachTransport((record) => lines.push(String(record['0'])));
  return new Dispatcher({
    handlers: [{ error: (error: ClientError) => void errors.push(error) }],
    rawHandlers: [
      {
        async raw() {
          await held;
          throw new Error('handler failed');
        },
      },
    ],
    policy: { mode: 'concurrent', limit: 8 },
    binding: { api: {}, replies: new ReplySequencer() } as unknown as ModelBinding,
    contextFor: () => ({}) as Context,
    log,
  });
}

const forged = (): GatewayPayload => ({ op: 0, s: 1, t: FORGED_T, id: FORGED_ID, d: {} });

describe('Dispatcher, event names from the wire in logs and errors', () => {
  it('escapes t and id in the duplicate lines and in the HandlerError of a failing handler', async () => {
    const lines: string[] = [];
    const errors: ClientError[] = [];
    let release!: () => void;
    const subject = dispatcher(lines, errors, new Promise<void>((resolve) => (release = resolve)));
    const first = subject.dispatch(undefined, forged());
    // A copy while the original is handled, then one after it was.
    const copy = subject.dispatch(undefined, forged());
    release();
    await Promise.allSettled([first, copy]);
    await subject.dispatch(undefined, forged());
    await subject.onIdle();

    expect(subject.duplicatesDropped).toBe(2);
    expect(lines.filter((line) => line.includes('dropped duplicate'))).toHaveLength(2);
    expect(errors.map((error) => error.constructor)).toEqual([HandlerError]);
    for (const text of [...lines, errors[0]!.message]) expect(text).not.toMatch(UNSAFE);
    expect(errors[0]!.message).toContain('AT_MESSAGE_CREATE\\n');
    // The error's field keeps the name as it came, for code that reads it.
    expect((errors[0] as HandlerError).event).toBe(FORGED_T);
  });

  it('keeps plain names as they were', async () => {
    const lines: string[] = [];
    const errors: ClientError[] = [];
    const subject = dispatcher(lines, errors);
    await subject.dispatch(undefined, memberAdd('E1')).catch(() => {});
    await subject.dispatch(undefined, memberAdd('E1'));
    expect(lines).toContain('dropped duplicate GUILD_MEMBER_ADD E1');
    expect(errors[0]!.message).toMatch(/^raw handler #0 failed on GUILD_MEMBER_ADD: handler failed/);
  });

  it('escapes them in the messages of the errors naming an event', () => {
    const messages = [
      new MalformedEventError(FORGED_T, 0, FORGED_ID, new Error('bad')).message,
      new HandlerTimeoutError(FORGED_T, FORGED_ID, 0, 10, 5, 'raw handler #0').message,
      new AbandonedEventsError(
        [{ event: FORGED_T, id: FORGED_ID, shardId: 0, seq: 1, started: true, payload: forged() }],
        100,
      ).message,
      new HandlerError(FORGED_T, undefined, 'raw handler #0', new Error('x')).message,
    ];
    for (const message of messages) {
      expect(message).not.toMatch(UNSAFE);
      expect(message).toContain('AT_MESSAGE_CREATE\\n');
    }
    // An id of 512 characters is cut in a message, its length said.
    expect(new MalformedEventError('X', 0, 'a'.repeat(511) + '\n', new Error('bad')).message).toMatch(
      /\(512 characters\)/,
    );
  });
});
