import { afterEach, describe, expect, it } from 'vitest';
import * as http from '@bot/http';
import { ApiError, BotError, NetworkError, ValidationError } from '@bot/http';
import * as client from '@bot/client';
import * as gateway from '@bot/gateway';
import { ReplyAlreadySentError, ReplyStreamError, type C2CMessage, type Context } from '@bot/client';
import { startHarness, type Harness } from './support/harness.js';

// The client's side of @bot/http's sendErrors.mayHaveBeenSent test: a caller deciding whether to
// send a reply again reads `mayHaveBeenSent` on whatever the reply threw, so each error a reply's
// request can end in sets it to a boolean. The client's own error classes are each named here as
// such an error or with the reason they never end a request that went out; @bot/http's classes are
// covered by its own test.

const STREAM_ROUTE = 'POST /v2/users/{openid}/stream_messages';

/** A recorded REST call that sent a C2C stream frame. */
function isStreamFrame(record: { kind: string; route?: string | null }): boolean {
  return record.kind === 'rest' && record.route === STREAM_ROUTE;
}

function apiError(status: number, code: number): ApiError {
  return new ApiError({
    method: 'POST',
    route: '/v2/users/{openid}/stream_messages',
    status,
    code,
    errCode: undefined,
    message: 'refused',
    traceId: undefined,
  });
}

const taken = new ApiError({
  method: 'POST',
  route: '/v2/groups/{group_openid}/messages',
  status: 400,
  code: 40054005,
  errCode: undefined,
  message: 'duplicate msg_seq',
  traceId: undefined,
});

const SEND_ERRORS: Record<string, () => Error> = {
  ReplyAlreadySentError: () => new ReplyAlreadySentError('m1', 3, 'group', taken),
  ReplyStreamError: () => new ReplyStreamError('send', 'a frame failed', apiError(500, 500)),
};

/** The client's error classes that never end a request that went out, with the reason. */
const NOT_SEND_ERRORS: Record<string, string> = {
  HandlerError: "a handler's own failure",
  HandlerTimeoutError: 'a handler ran past its deadline',
  MalformedEventError: 'an event payload refused on arrival',
  AbandonedEventsError: 'events left unhandled by shutdown()',
  SourceStopError: 'an event source that stopped',
  SessionReplacedError: 'a gateway session replaced',
  ClientShutDownError: 'a start call after shutdown(): no request',
  EventReplyError: 'refused before any request',
  InteractionAckError: 'a second ack refused before any request',
  ReplyWindowClosedError: 'refused before any request',
  MissingDataError: 'a ValidationError: a read of the data map',
};

const errorClassNames = (exports: object): string[] =>
  Object.entries(exports)
    .filter(
      ([, value]) =>
        typeof value === 'function' && (value as { prototype: unknown }).prototype instanceof Error,
    )
    .map(([name]) => name);
// Re-exported from @bot/http and @bot/gateway, which account for their own.
const otherPackagesErrors = new Set([...errorClassNames(http), ...errorClassNames(gateway)]);
const clientErrorClasses = errorClassNames(client).filter((name) => !otherPackagesErrors.has(name));

describe("mayHaveBeenSent on the client's send errors", () => {
  it('names each of its exported error classes as a send error or says why it is none', () => {
    const unclassified = clientErrorClasses.filter(
      (name) => !(name in SEND_ERRORS) && !(name in NOT_SEND_ERRORS),
    );
    expect(unclassified).toStrictEqual([]);
    expect(clientErrorClasses).toEqual(
      expect.arrayContaining([...Object.keys(SEND_ERRORS), ...Object.keys(NOT_SEND_ERRORS)]),
    );
  });

  it.each(Object.entries(SEND_ERRORS))('%s sets mayHaveBeenSent to a boolean', (name, build) => {
    const error = build();
    expect(error).toBeInstanceOf(BotError);
    expect(error.constructor.name).toBe(name);
    expect(typeof (error as { mayHaveBeenSent?: unknown }).mayHaveBeenSent).toBe('boolean');
  });

  it('ReplyAlreadySentError: the platform refused the number, nothing was sent', () => {
    expect(new ReplyAlreadySentError('m1', 3, 'c2c', taken).mayHaveBeenSent).toBe(false);
  });

  it.each([
    ['a 5xx, which may have been applied', apiError(500, 500), true],
    ['a 4xx refusal', apiError(400, 40034001), false],
    [
      'a connection refused before sending',
      new NetworkError('POST', '/v2/users/{openid}/stream_messages', 'ECONNREFUSED'),
      false,
    ],
    [
      'a connection reset after sending',
      new NetworkError('POST', '/v2/users/{openid}/stream_messages', 'ECONNRESET'),
      true,
    ],
    ['a ValidationError, refused before sending', new ValidationError('params', 'is wrong'), false],
    // An answer the stream cannot use (no stream id): the frame was taken.
    ['no cause', undefined, true],
  ])("ReplyStreamError 'send' says what its cause says: %s", (_name, cause, sent) => {
    expect(new ReplyStreamError('send', 'a frame failed', cause).mayHaveBeenSent).toBe(sent);
  });

  it("is undefined on a ReplyStreamError that is no send's failure", () => {
    for (const failure of ['source', 'aborted', 'idle', 'closed', 'tooLong', 'tooMany', 'shutDown'] as const)
      expect(new ReplyStreamError(failure, 'stopped', new Error('x')).mayHaveBeenSent).toBeUndefined();
  });
});

describe('a streamed reply whose frame fails', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  async function streamOutcome(failure: { status: number; code?: number; afterHandling?: boolean }) {
    const outcomes: unknown[] = [];
    harness = await startHarness([
      {
        async c2cMessageCreate(_ctx: Context, message: C2CMessage) {
          const stream = message.replyStream({ intervalMs: 300 });
          stream.write('hello');
          outcomes.push(await stream.end().catch((error: unknown) => error));
        },
      },
    ]);
    harness.emulator.faults.failRoute(STREAM_ROUTE, failure);
    harness.emulator.simulate.c2cMessage({ content: 'hi' });
    await expect.poll(() => outcomes.length, { timeout: 5000 }).toBe(1);
    const error = outcomes[0] as ReplyStreamError;
    expect(error).toBeInstanceOf(ReplyStreamError);
    expect(error.failure).toBe('send');
    return error;
  }

  it('may have been sent when the platform applied the frame but answered 500', async () => {
    const error = await streamOutcome({ status: 500, afterHandling: true });
    expect(error.mayHaveBeenSent).toBe(true);
  });

  it('was not sent when the platform refused the frame', async () => {
    const error = await streamOutcome({ status: 400, code: 40034001 });
    expect((error.cause as ApiError).status).toBe(400);
    expect(error.mayHaveBeenSent).toBe(false);
  });
  it('may have been sent once an earlier frame landed, whatever the failed frame says', async () => {
    // The user already sees 'hello ': sending the reply again would show it twice.
    const outcomes: unknown[] = [];
    harness = await startHarness([
      {
        async c2cMessageCreate(_ctx: Context, message: C2CMessage) {
          const stream = message.replyStream({ intervalMs: 300 });
          stream.write('hello ');
          await expect.poll(() => harness!.emulator.recorder.records.filter(isStreamFrame).length).toBe(1);
          harness!.emulator.faults.failRoute(STREAM_ROUTE, { status: 400, code: 40034001, times: 1 });
          stream.write('world');
          outcomes.push(await stream.end().catch((error: unknown) => error));
        },
      },
    ]);
    harness.emulator.simulate.c2cMessage({ content: 'hi' });
    await expect.poll(() => outcomes.length, { timeout: 5000 }).toBe(1);
    const error = outcomes[0] as ReplyStreamError;
    expect(error).toBeInstanceOf(ReplyStreamError);
    expect((error.cause as ApiError).status).toBe(400);
    expect(error.mayHaveBeenSent).toBe(true);
  });
});
