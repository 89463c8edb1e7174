import { AbortedAfterSendError, ClientDestroyedError, TimeoutError } from '@bot/http';
import { describe, expect, it } from 'vitest';
import { GROUP_SEND_ROUTE, groupSend, until, useRestFixture } from './support/restFixture.js';

// A send cut off by its caller's signal or by destroy() once its body reached the platform says
// that it may have been delivered, as a TimeoutError in the same place does: a caller re-sending
// under a new msg_seq would post the message twice. One cut off before it went out says it was not.

describe('a send cut off after its body reached the platform', () => {
  const fixture = useRestFixture();
  const posts = () => fixture.platform.requests.filter((r) => r.method === 'POST').length;

  it('aborted by its signal: an AbortedAfterSendError that may have been sent, the reason as its cause', async () => {
    fixture.platform.handler = () => ({ hang: true });
    const rest = fixture.client();
    const caller = new AbortController();
    const call = rest.request(groupSend(caller.signal)).catch((e: unknown) => e);
    await until(() => posts() === 1);
    const reason = new Error('operator cancelled');
    caller.abort(reason);
    const error = await call;
    expect(error).toBeInstanceOf(AbortedAfterSendError);
    expect(error).toMatchObject({ kind: 'abortedAfterSend', mayHaveBeenSent: true, route: GROUP_SEND_ROUTE });
    expect((error as Error).cause).toBe(reason);
    expect((error as Error).message).toContain('it may have been delivered, check before sending again');
  });

  it('cut off by destroy(): a ClientDestroyedError that may have been sent', async () => {
    fixture.platform.handler = () => ({ hang: true });
    const rest = fixture.client();
    const call = rest.request(groupSend()).catch((e: unknown) => e);
    await until(() => posts() === 1);
    rest.destroy();
    const error = await call;
    expect(error).toBeInstanceOf(ClientDestroyedError);
    expect(error).toMatchObject({ mayHaveBeenSent: true, method: 'POST', route: GROUP_SEND_ROUTE });
    expect((error as Error).message).toContain('it may have been delivered, check before sending again');
  });

  it('stopped before it went out: the signal reason itself, or a ClientDestroyedError not sent', async () => {
    fixture.platform.handler = () => ({ body: { id: 'x' } });
    const rest = fixture.client({ timeout: 5_000 });
    const caller = new AbortController();
    const reason = new Error('operator cancelled');
    caller.abort(reason);
    await expect(rest.request(groupSend(caller.signal))).rejects.toBe(reason);
    rest.destroy();
    const error = await rest.request(groupSend()).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'clientDestroyed', mayHaveBeenSent: false });
    expect((error as Error).message).not.toContain('may have been delivered');
    expect(posts()).toBe(0);
  });

  it('says what a TimeoutError in the same place says', async () => {
    fixture.platform.handler = () => ({ hang: true });
    const rest = fixture.client({ timeout: 300 });
    const error = await rest.request(groupSend()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ mayHaveBeenSent: true });
    expect((error as Error).message).toContain('it may have been delivered, check before sending again');
  });
});
