import {
  AbortedAfterSendError,
  ClientDestroyedError,
  type RestAttemptEvent,
  type RestClient,
} from '@bot/http';
import { describe, expect, it } from 'vitest';
import type { FakeAnswer } from './support/fakePlatform.js';
import { GROUP_SEND_ROUTE, groupSend, settle, until, useRestFixture } from './support/restFixture.js';

// A call cut off while it waits to try again says whether anything of it may have reached the
// platform by what its attempts so far were answered: a 429 was refused before anything was
// posted, so an abort in its pause leaves nothing to check; a 5xx or a connection lost after the
// body went out may have been posted, so an abort in the back-off after it says so. What the
// client has not read yet it cannot count as refused: a 429 still on its way when the signal
// fires is a send cut off on the wire.

const LIMITED: FakeAnswer = {
  status: 429,
  body: { code: 22009, message: 'msg limit exceed' },
  headers: { 'retry-after': '5' },
};
const BUSY: FakeAnswer = { status: 503, body: { code: 503, message: 'busy' } };

/** The attempts `rest` reports, to wait until the client has read an answer. */
function attemptsOf(rest: RestClient): RestAttemptEvent[] {
  const attempts: RestAttemptEvent[] = [];
  rest.on('attempt', (event) => attempts.push({ ...event }));
  return attempts;
}

describe('a POST cut off while it waits to try again', () => {
  const fixture = useRestFixture();
  const posts = () => fixture.platform.requests.filter((r) => r.method === 'POST').length;
  /** A client that backs off 5 s, so that a wait is long enough to be cut off in. */
  const slowRetries = () => fixture.client({ timeout: 30_000, backoff: { base: 5_000, max: 5_000 } });

  it('answered 429 and aborted in its pause: the signal reason itself, nothing to check', async () => {
    fixture.platform.handler = () => LIMITED;
    const rest = slowRetries();
    const attempts = attemptsOf(rest);
    const caller = new AbortController();
    const call = rest.request(groupSend(caller.signal)).catch((e: unknown) => e);
    await until(() => attempts.length === 1);
    expect(attempts[0]).toMatchObject({ status: 429, willRetry: true });
    const reason = new Error('operator cancelled');
    caller.abort(reason);
    expect(await call).toBe(reason);
    await settle();
    expect(posts()).toBe(1);
  });

  it('answered 429 and ended by destroy() in its pause: a ClientDestroyedError not sent', async () => {
    fixture.platform.handler = () => LIMITED;
    const rest = slowRetries();
    const attempts = attemptsOf(rest);
    const call = rest.request(groupSend()).catch((e: unknown) => e);
    await until(() => attempts.length === 1);
    rest.destroy();
    const error = await call;
    expect(error).toBeInstanceOf(ClientDestroyedError);
    expect(error).toMatchObject({ mayHaveBeenSent: false, route: GROUP_SEND_ROUTE });
    expect((error as Error).message).not.toContain('may have been delivered');
  });

  it.each([
    ['answered 503, aborted in its back-off', [BUSY], 5_000],
    ['its connection lost after the body went out, aborted in its back-off', [{ reset: true }], 5_000],
    // A short back-off after the 503: the wait cut off is the 429's pause.
    ['answered 503 then 429, aborted in the pause', [BUSY, LIMITED], 5],
  ] satisfies [string, FakeAnswer[], number][])(
    '%s: an AbortedAfterSendError that may have been sent',
    async (_, answers, backoffMs) => {
      let answered = 0;
      fixture.platform.handler = () => answers[answered++] ?? { hang: true };
      const rest = fixture.client({ timeout: 30_000, backoff: { base: backoffMs, max: backoffMs } });
      const attempts = attemptsOf(rest);
      const caller = new AbortController();
      const call = rest.request(groupSend(caller.signal)).catch((e: unknown) => e);
      await until(() => attempts.length === answers.length);
      expect(attempts.every((attempt) => attempt.willRetry)).toBe(true);
      const reason = new Error('operator cancelled');
      caller.abort(reason);
      const error = await call;
      expect(error).toBeInstanceOf(AbortedAfterSendError);
      expect(error).toMatchObject({ mayHaveBeenSent: true, route: GROUP_SEND_ROUTE });
      expect((error as Error).cause).toBe(reason);
      expect(posts()).toBe(answers.length);
    },
  );

  it('answered 503 and ended by destroy() in its back-off: a ClientDestroyedError that may have been sent', async () => {
    fixture.platform.handler = () => BUSY;
    const rest = slowRetries();
    const attempts = attemptsOf(rest);
    const call = rest.request(groupSend()).catch((e: unknown) => e);
    await until(() => attempts.length === 1);
    rest.destroy();
    const error = await call;
    expect(error).toBeInstanceOf(ClientDestroyedError);
    expect(error).toMatchObject({ mayHaveBeenSent: true });
    expect((error as Error).message).toContain('it may have been delivered, check before sending again');
  });

  it('aborted while its 429 is still on the way: cut off on the wire, so it may have been sent', async () => {
    // The platform has decided (a 429) but the client has read nothing yet: all it knows is that
    // the body went out. A test that aborts as soon as the platform records the request meets this.
    let answer: (value: FakeAnswer) => void = () => undefined;
    fixture.platform.handler = () => new Promise<FakeAnswer>((resolve) => (answer = resolve));
    const rest = slowRetries();
    const attempts = attemptsOf(rest);
    const caller = new AbortController();
    const call = rest.request(groupSend(caller.signal)).catch((e: unknown) => e);
    await until(() => posts() === 1);
    const reason = new Error('operator cancelled');
    caller.abort(reason);
    answer(LIMITED);
    const error = await call;
    expect(error).toBeInstanceOf(AbortedAfterSendError);
    expect(error).toMatchObject({ mayHaveBeenSent: true });
    expect(attempts).toMatchObject([{ status: undefined, failure: 'aborted' }]);
  });
});
