import { describe, expect, it } from 'vitest';
import { messageTypeOf, violationOf } from '../../src/workers/fromWorkerCheck.js';
import { MAX_WIRE_TEXT, toWireError } from '../../src/workers/wireError.js';

// What a thread posts is input: the bot's own code runs on the thread and may post anything on
// its port. Each message below is what a shard thread could never have sent, yet each reached the
// main thread's state, store or error listeners before the checks covered its fields.

const facts = { ownsShard: (id: number) => id === 0, maxBatch: 8, handlerModule: true };
const items = (...list: unknown[][]) => ({ type: 'items', items: list, dispatches: 0 });
const status = (fields: Record<string, unknown> = {}) => ({
  id: 0,
  total: 1,
  state: 'ready',
  latency: 40,
  seq: 3,
  sessionId: 'S',
  reconnects: 0,
  attempt: 1,
  lastCloseCode: undefined,
  paused: false,
  ...fields,
});
const state = (fields?: Record<string, unknown>) =>
  items([0, 'state', 'ready', 'connecting', status(fields)]);
/** A status paused before its next Identify, as a shard in the op 9 pause reports it. */
const pausedFor = (fields: Record<string, unknown> = {}) =>
  state({
    state: 'reconnecting',
    identifyPause: {
      reason: 'invalidatedSessions',
      sessions: 5,
      ms: 691_200 + 1_234,
      until: 1_796_000_000_000.5,
      ...fields,
    },
  });
const close = (fields: Record<string, unknown> = {}) =>
  items([0, 'close', { code: 4009, reason: 'expired', next: 'resume', delayMs: 1_000, ...fields }]);
const dispatch = (fields: Record<string, unknown> = {}) => ({
  ...items([0, 'dispatch', { op: 0, s: 4, t: 'AT_MESSAGE_CREATE', id: 'E', d: {}, ...fields }]),
  dispatches: 1,
});
const wire = (fields: Record<string, unknown> = {}) => ({
  name: 'Error',
  message: 'boom',
  stack: undefined,
  ...fields,
});
const errorItem = (error: unknown) => items([0, 'error', error]);
/** An error whose causes go `levels` deep. */
const chained = (levels: number): unknown => (levels === 1 ? wire() : wire({ cause: chained(levels - 1) }));

describe('what a thread reports is checked field by field', () => {
  it('takes what a shard thread really posts', () => {
    for (const message of [
      state(),
      state({ sessionId: undefined, seq: null, latency: undefined, lastCloseCode: 4009 }),
      state({ identifyPause: undefined }),
      pausedFor(),
      pausedFor({ sessions: 12, ms: 86_400_000 + 5_000, until: 0 }),
      close(),
      close({ code: undefined, next: 'identify', delayMs: 0, connectError: 'connect ECONNREFUSED' }),
      close({ next: 'identify', session: { sessionId: 'session-1', seq: 42 } }),
      close({ session: { sessionId: 'session-1', seq: null } }),
      close({ next: 'identify', ending: 'tokenRefused', session: { sessionId: 'session-1', seq: 7 } }),
      dispatch(),
      dispatch({ s: undefined, id: undefined }),
      // What a shard delivers from the platform as it came: a bad seq is reported and left out of
      // the resume point, any text names the event, the id is never checked.
      dispatch({ s: -1 }),
      dispatch({ s: '7' }),
      dispatch({ s: 2.5 }),
      dispatch({ s: Infinity }),
      dispatch({ t: '' }),
      dispatch({ t: 'T'.repeat(500) }),
      dispatch({ id: 7 }),
      dispatch({ id: 'x'.repeat(500) }),
      dispatch({ id: { nested: true } }),
      items([0, 'heartbeat', 0]),
      errorItem(toWireError(new Error('outer', { cause: new TypeError('inner', { cause: 'text' }) }))),
      errorItem(toWireError(Object.assign(new Error('coded'), { code: 4009, list: [1, 2] }))),
    ]) {
      expect(violationOf(message, facts), JSON.stringify(message)).toBeUndefined();
    }
  });

  const refused: Array<[string, unknown, RegExp]> = [
    ['a status whose session id is not text', state({ sessionId: { evil: true } }), /session id/],
    ['a status whose session id is empty', state({ sessionId: '' }), /session id/],
    ['a status whose session id is 1 MB', state({ sessionId: 'x'.repeat(1_000_000) }), /session id/],
    ['a status whose seq is negative', state({ seq: -5 }), /seq/],
    ['a status whose seq is text', state({ seq: '3' }), /seq/],
    ['a status of another shard', state({ id: 7 }), /another shard/],
    ['a status in no known state', state({ state: 'exploded' }), /unknown state/],
    ['a status whose shard count leaves out its shard', state({ total: 0 }), /shard count/],
    ['a status whose latency is negative', state({ latency: -1 }), /latency/],
    ['a status whose reconnects are not a count', state({ reconnects: Number.NaN }), /reconnects/],
    ['a status whose close code is text', state({ lastCloseCode: '4009' }), /close code/],
    ['a status whose paused flag is missing', state({ paused: undefined }), /paused/],
    [
      'a status whose identify pause is text',
      state({ identifyPause: '10 min' }),
      /identify pause that is not/,
    ],
    ['a status whose identify pause is null', state({ identifyPause: null }), /identify pause that is not/],
    ['an identify pause of an unknown reason', pausedFor({ reason: 'bored' }), /identify pause.*reason/],
    ['an identify pause of a 1 MB reason', pausedFor({ reason: 'x'.repeat(1_000_000) }), /reason/],
    ['an identify pause without a reason', pausedFor({ reason: undefined }), /reason/],
    ['an identify pause after 0 sessions', pausedFor({ sessions: 0 }), /identify pause.*sessions/],
    ['an identify pause after 2.5 sessions', pausedFor({ sessions: 2.5 }), /sessions/],
    ['an identify pause after "5" sessions', pausedFor({ sessions: '5' }), /sessions/],
    ['an identify pause of negative length', pausedFor({ ms: -1 }), /identify pause.*length/],
    ['an identify pause of endless length', pausedFor({ ms: Infinity }), /length/],
    ['an identify pause of NaN length', pausedFor({ ms: Number.NaN }), /length/],
    ['an identify pause without a length', pausedFor({ ms: undefined }), /length/],
    ['an identify pause until a text', pausedFor({ until: '2026-12-07' }), /identify pause.*until/],
    ['an identify pause until before 1970', pausedFor({ until: -1 }), /until/],
    ['an identify pause until past the last date', pausedFor({ until: 8.64e15 + 1 }), /until/],
    ['an identify pause until NaN', pausedFor({ until: Number.NaN }), /until/],
    ['a close event whose next step is unknown', close({ next: 'explode' }), /next step/],
    ['a close event whose delay is negative', close({ delayMs: -1 }), /delay/],
    ['a close event whose delay is not a number', close({ delayMs: Infinity }), /delay/],
    ['a close event whose code is out of range', close({ code: 70_000 }), /code/],
    ['a close event without a reason', close({ reason: undefined }), /reason/],
    ['a close event whose ending is unknown', close({ next: 'identify', ending: 'exploded' }), /unknown way/],
    ['a close event whose ending is not text', close({ next: 'identify', ending: 7 }), /unknown way/],
    ['a close event whose session is text', close({ session: 'abc' }), /session that is not an object/],
    [
      'a close event whose session id is empty',
      close({ session: { sessionId: '', seq: 3 } }),
      /session whose id/,
    ],
    [
      'a close event whose session id is too long',
      close({ session: { sessionId: 'x'.repeat(100_000), seq: 3 } }),
      /session whose id/,
    ],
    [
      'a close event whose seq is negative',
      close({ session: { sessionId: 's', seq: -1 } }),
      /seq that is neither/,
    ],
    [
      'a close event whose seq is text',
      close({ session: { sessionId: 's', seq: '9' } }),
      /seq that is neither/,
    ],
    ['a dispatch of another opcode', dispatch({ op: 11 }), /op 0/],
    ['a dispatch without an event name', dispatch({ t: 5 }), /event/],
    ['a heartbeat latency below 0', items([0, 'heartbeat', -3]), /latency/],
    ['a batch counting fewer dispatches than it holds', { ...dispatch(), dispatches: 0 }, /dispatch count/],
    [
      'a batch counting dispatches it does not hold',
      { ...items([0, 'debug', 'x']), dispatches: 1 },
      /dispatch count/,
    ],
    [
      'an error whose message is 1 MB',
      errorItem(wire({ message: 'x'.repeat(MAX_WIRE_TEXT + 1) })),
      /message/,
    ],
    ['an error whose stack is not text', errorItem(wire({ stack: 12 })), /stack/],
    ['an error whose kind is not text', errorItem(wire({ kind: { toString: null } })), /kind/],
    [
      'an error whose fields hold a Map',
      errorItem(wire({ fields: { code: new Map([['deep', 1]]) } })),
      /field "code"/,
    ],
    [
      'an error with a field named __proto__',
      errorItem(wire({ fields: JSON.parse('{"__proto__": 1}') })),
      /__proto__/,
    ],
    [
      'an error with 17 fields',
      errorItem(wire({ fields: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`f${i}`, i])) })),
      /fields/,
    ],
    ['an error whose causes go 4 deep', errorItem(chained(4)), /deeper than 3/],
    ['an error whose cause is not an error', errorItem(wire({ cause: 'text' })), /cause/],
    [
      'a client failure whose error has a 1 MB stack',
      { type: 'clientError', error: wire({ stack: 'y'.repeat(MAX_WIRE_TEXT + 1) }) },
      /stack/,
    ],
    [
      'a failed setup whose cause is malformed',
      { type: 'handlerFailed', error: wire({ cause: { name: 1 } }) },
      /handler failure/,
    ],
  ];
  it.each(refused)('refuses %s, saying what is wrong', (_, message, problem) => {
    expect(violationOf(message, facts)).toMatch(problem);
  });

  it('quotes what it refuses without converting it: a value String() throws on, or a huge one, gives a short problem', () => {
    // Both survive a structured clone: own data properties only.
    const unprintable = { toString: 0, valueOf: 0 };
    const huge = 'q'.repeat(100_000);
    const session = { sessionId: unprintable, seq: 1, shardCount: 1 };
    for (const message of [
      items([unprintable, 'debug', 'x']),
      items([huge, 'debug', 'x']),
      items([0, unprintable]),
      items([0, huge]),
      { type: 'call', call: 1, method: 'sessionGet', shardId: unprintable, args: [] },
      { type: 'call', call: 1, method: 'sessionSet', shardId: 0, args: [session] },
      { type: 'clientError', shardId: unprintable, error: wire() },
      { type: 'clientError', shardId: huge, error: wire() },
      { type: unprintable },
      { type: huge },
    ]) {
      const problem = violationOf(message, facts);
      expect(problem).toEqual(expect.any(String));
      expect((problem as string).length).toBeLessThan(200);
    }
  });

  it('names the type of the message refused, bounded, or says it has none', () => {
    expect(messageTypeOf(state({ seq: -1 }))).toBe('items');
    expect(messageTypeOf({ type: 'z'.repeat(10_000) })).toBe(`${'z'.repeat(40)}…`);
    expect(messageTypeOf({ type: 5 })).toBe('(type number)');
    expect(messageTypeOf('hello')).toBe('(type undefined)');
  });
});
