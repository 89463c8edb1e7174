import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  type BotApi,
  ClientDestroyedError,
  MediaFileType,
  Token,
} from '@bot/http';
import { SEED } from '@bot/testing';
import PQueue from 'p-queue';
import { useEmulatorRest } from './support/emulatorRest.js';

// By default a request records nothing while it runs: when it fails, the functions awaiting it
// are read from V8's async stack at that moment and shown below the error's own frames.

const GROUP = SEED.groups.bookClub;
const GROUP_SEND = 'POST /v2/groups/{group_openid}/messages';
const THIS_FILE_NAME = 'restClient.awaitingCallers.test.ts';

/** How many times `name` is written in `stack`. */
function occurrences(stack: string | undefined, name: string): number {
  return (stack ?? '').split(name).length - 1;
}

describe('RestClient by default: the functions awaiting a failed call', () => {
  const setup = useEmulatorRest();
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('captures no stack for a call that succeeds; with callSites: true, one per call', async () => {
    const everyCall = setup.client({ callSites: true });
    // The access tokens, fetched before counting.
    await setup.api.users.me();
    await everyCall.users.me();
    const capture = vi.spyOn(Error, 'captureStackTrace');

    for (let i = 0; i < 5; i += 1) await setup.rest.request({ method: 'GET', route: '/users/@me' });
    await setup.api.users.me();
    expect(capture).not.toHaveBeenCalled();

    for (let i = 0; i < 5; i += 1) await everyCall.rest.request({ method: 'GET', route: '/users/@me' });
    expect(capture).toHaveBeenCalledTimes(5);
  });

  it("names each awaiting function of the caller's code behind a route queue, below the error's own frames", async () => {
    setup.emulator.faults.failRoute(GROUP_SEND, { status: 400 });
    async function handlerAfterAwait(): Promise<unknown> {
      await delay(1);
      return await setup.api.groups.send(GROUP, { content: 'hi', msg_type: 0, msg_id: 'm1' });
    }
    async function dispatcherOfUser(): Promise<unknown> {
      return await handlerAfterAwait();
    }
    const error = await dispatcherOfUser().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const stack = (error as Error).stack ?? '';
    expect(stack).toMatch(/^ApiError: /);
    expect(stack).toMatch(
      /\n\s+at (async )?handlerAfterAwait \([^\n]*restClient\.awaitingCallers\.test\.ts:\d+:\d+\)\n\s+at (async )?dispatcherOfUser /,
    );
    expect(stack.indexOf('handlerAfterAwait')).toBeGreaterThan(stack.indexOf('sendAttempt'));
    expect(occurrences(stack, 'handlerAfterAwait')).toBe(1);
  });

  it("leaves out the framework's own awaiting functions (a resource method), and Node's", async () => {
    // A refused token fetch is shared by the calls waiting for it: its error's own stack ends in
    // the token provider, so every frame of the caller comes from the failure-time capture.
    const api = setup.client({ token: new Token(setup.emulator.appId, 'not-the-secret') });
    async function deleteFromUserCode(): Promise<unknown> {
      return await api.channels.delete('1000');
    }
    const error = await deleteFromUserCode().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    const stack = (error as Error).stack ?? '';
    const callerFrames = stack.slice(stack.indexOf('AccessTokenProvider.get'));
    expect(callerFrames).toMatch(/\n\s+at (async )?deleteFromUserCode \(/);
    expect(callerFrames).not.toContain('ChannelsApi');
    expect(callerFrames).not.toContain('failWithAwaitingCallers');
    expect(callerFrames).not.toContain('(node:');
  });

  it('shows the awaiting caller of a plain function that returns the call, not the plain function', async () => {
    setup.emulator.faults.failRoute(GROUP_SEND, { status: 400 });
    setup.emulator.faults.failRoute(GROUP_SEND, { status: 400 });
    function sendFromPlainFunction(api: BotApi): Promise<unknown> {
      return api.groups.send(GROUP, { content: 'hi', msg_type: 0, msg_id: 'm1' });
    }
    async function awaitingCaller(api: BotApi): Promise<unknown> {
      return await sendFromPlainFunction(api);
    }

    const byDefault = (await awaitingCaller(setup.api).catch((e: unknown) => e)) as Error;
    expect(byDefault.stack).toMatch(/\n\s+at (async )?awaitingCaller /);
    expect(byDefault.stack).not.toContain('sendFromPlainFunction');

    const captured = (await awaitingCaller(setup.client({ callSites: true })).catch(
      (e: unknown) => e,
    )) as Error;
    expect(captured.stack).toMatch(/\n\s+at sendFromPlainFunction /);
  });

  it('shows a caller that does not await the call (fire and forget) only with callSites: true', async () => {
    const failureOf = (api: BotApi): Promise<unknown> => {
      setup.emulator.faults.failRoute(GROUP_SEND, { status: 400 });
      return new Promise((resolve) => {
        function sendAndForgetFromUserCode(): void {
          void api.groups.send(GROUP, { content: 'hi', msg_type: 0, msg_id: 'm1' }).catch(resolve);
        }
        sendAndForgetFromUserCode();
      });
    };

    const byDefault = await failureOf(setup.api);
    expect(byDefault).toBeInstanceOf(ApiError);
    expect((byDefault as Error).stack).not.toContain('sendAndForgetFromUserCode');

    const captured = await failureOf(setup.client({ callSites: true }));
    expect(captured).toBeInstanceOf(ApiError);
    expect((captured as Error).stack).toMatch(/\n\s+at sendAndForgetFromUserCode /);
  });

  it("never repeats a caller the error's own stack shows already", async () => {
    // Nothing breaks the chain here (no queue): V8 put the awaiting functions in the error's own
    // stack when it was made.
    setup.emulator.faults.failRoute('GET /users/@me', { status: 400 });
    async function meFromUserCode(): Promise<unknown> {
      return await setup.rest.request({ method: 'GET', route: '/users/@me' });
    }
    const error = await meFromUserCode().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(occurrences((error as Error).stack, 'meFromUserCode')).toBe(1);
  });

  it('adds nothing when stack traces are turned off', async () => {
    const api = setup.client({ token: new Token(setup.emulator.appId, 'not-the-secret') });
    async function meWithoutStacks(): Promise<unknown> {
      return await api.users.me();
    }
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    let error: unknown;
    try {
      error = await meWithoutStacks().catch((e: unknown) => e);
    } finally {
      Error.stackTraceLimit = limit;
    }
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).stack).not.toContain('meWithoutStacks');
  });

  it.each([
    ['users.me', false],
    ['users.me', true],
    ['uploadMedia', false],
    ['uploadMedia', true],
  ] as const)(
    "leaves the stack of one of the framework's errors given as the signal's reason to many calls of %s as it was (callSites: %s)",
    async (method, callSites) => {
      const api = callSites ? setup.client({ callSites }) : setup.api;
      // The caller's own error for stopping everything, one object for every call it stops.
      const reason = new ClientDestroyedError(undefined, undefined);
      const before = reason.stack;
      const stop = new AbortController();
      await api.users.me();
      const call = (): Promise<unknown> =>
        method === 'users.me'
          ? api.users.me({ signal: stop.signal })
          : api.groups.uploadMedia(GROUP, Buffer.alloc(1000, 1), {
              fileType: MediaFileType.Image,
              signal: stop.signal,
            });
      async function firstCaller(): Promise<unknown> {
        return await call();
      }
      async function secondCaller(): Promise<unknown> {
        return await call();
      }
      const calls = [firstCaller(), secondCaller()].map((p) => p.catch((e: unknown) => e));
      // Stopped while under way (a signal aborted before the call is refused before it starts).
      stop.abort(reason);
      const failures = await Promise.all(calls);
      expect(failures).toEqual([reason, reason]);
      expect(reason.stack).toBe(before);
      expect(reason.stack).not.toMatch(/firstCaller|secondCaller/);
    },
  );

  it.each([false, true])(
    'shows a caller that awaits the call through a queue of its own, or with a second handler on it, only with callSites: true (callSites: %s)',
    async (callSites) => {
      const api = callSites ? setup.client({ callSites }) : setup.api;
      await api.users.me();
      const queue = new PQueue({ concurrency: 4 });
      setup.emulator.faults.failRoute('GET /users/@me', { status: 400, times: 2 });
      async function sendsThroughQueue(): Promise<unknown> {
        return await queue.add(() => api.users.me());
      }
      async function logsAndAwaits(): Promise<unknown> {
        const call = api.users.me();
        call.catch(() => undefined);
        return await call;
      }
      const throughQueue = await sendsThroughQueue().catch((e: unknown) => e);
      const withSecondHandler = await logsAndAwaits().catch((e: unknown) => e);
      expect(throughQueue).toBeInstanceOf(ApiError);
      expect(withSecondHandler).toBeInstanceOf(ApiError);
      // V8 follows an await only while each promise on the way has that one reaction: by default
      // no line of this file is shown (the README and the callSites option say so).
      for (const error of [throughQueue, withSecondHandler]) {
        expect(occurrences((error as Error).stack, THIS_FILE_NAME)).toBe(callSites ? 1 : 0);
      }
    },
  );
});
