import { describe, expect, it } from 'vitest';
import { ApiError, ClientDestroyedError, RestClient, Token, ValidationError } from '@bot/http';
import { useEmulatorRest } from './support/emulatorRest.js';

// A request fails in a later turn, so its error's own frames end inside the client; the stack
// must still lead to the line of user code that made the call. With `callSites: true`, each call
// records that line when it is made, whether its caller awaits it or not (the default, which reads
// the awaiting callers when a call fails, is pinned in restClient.awaitingCallers.test.ts).

describe('RestClient errors show the caller, by the callSites option', () => {
  const setup = useEmulatorRest();

  it("with callSites: true, ends an ApiError's stack with the frames of the function that called request()", async () => {
    setup.emulator.faults.failRoute('GET /users/@me', { status: 400 });
    const { rest } = setup.client({ callSites: true });
    function fetchProfileFromUserCode(): Promise<unknown> {
      return rest.request({ method: 'GET', route: '/users/@me' });
    }
    const error = await fetchProfileFromUserCode().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const stack = (error as Error).stack ?? '';
    expect(stack).toMatch(/^ApiError: /);
    expect(stack).toMatch(/\n\s+at fetchProfileFromUserCode /);
    // The caller's frames follow the error's own, and the client's request() itself is left out.
    expect(stack.indexOf('fetchProfileFromUserCode')).toBeGreaterThan(stack.indexOf('\n'));
    expect(stack).not.toMatch(/at RestClient\.request /);
  });

  it("keeps the caller's own caller too", async () => {
    setup.emulator.faults.failRoute('GET /users/@me', { status: 400 });
    const { rest } = setup.client({ callSites: true });
    function fetchProfileFromUserCode(): Promise<unknown> {
      return rest.request({ method: 'GET', route: '/users/@me' });
    }
    function handlerFromUserCode(): Promise<unknown> {
      return fetchProfileFromUserCode();
    }
    const error = await handlerFromUserCode().catch((e: unknown) => e);
    const stack = (error as Error).stack ?? '';
    expect(stack).toMatch(/\n\s+at fetchProfileFromUserCode [^\n]*\n\s+at handlerFromUserCode /);
  });

  it('with callSites: true, shows the caller of a bound endpoint, and of a request refused because the client was destroyed', async () => {
    setup.emulator.faults.failRoute('GET /users/@me', { status: 400 });
    const api = setup.client({ callSites: true });
    async function meFromUserCode(): Promise<unknown> {
      return api.users.me();
    }
    const apiError = await meFromUserCode().catch((e: unknown) => e);
    expect(apiError).toBeInstanceOf(ApiError);
    expect((apiError as Error).stack).toContain('meFromUserCode');

    api.rest.destroy();
    function afterDestroyFromUserCode(): Promise<unknown> {
      return api.rest.request({ method: 'GET', route: '/users/@me' });
    }
    const refused = await afterDestroyFromUserCode().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ClientDestroyedError);
    expect((refused as Error).stack).toContain('afterDestroyFromUserCode');
  });

  it('records no call site per call with callSites: false, the default: a function that returns the call without awaiting it is not shown', async () => {
    for (const api of [setup.api, setup.client({ callSites: false })]) {
      setup.emulator.faults.failRoute('GET /users/@me', { status: 400 });
      function meWithoutCallSites(): Promise<unknown> {
        return api.users.me();
      }
      const error = await meWithoutCallSites().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(400);
      expect((error as Error).stack).toMatch(/^ApiError: /);
      expect((error as Error).stack).not.toContain('meWithoutCallSites');
      await expect(api.users.me()).resolves.toMatchObject({ id: expect.any(String) });
    }
  });

  it('refuses a callSites option that is not a boolean, naming it', () => {
    const build = () =>
      new RestClient({ token: new Token('1', 'secret'), callSites: 'false' as unknown as boolean });
    expect(build).toThrow(ValidationError);
    expect(build).toThrow(/callSites/);
  });

  it("leaves a signal's own abort reason as the caller made it", async () => {
    const reason = new Error('caller gave up');
    const stackBefore = reason.stack;
    const error = await setup.rest
      .request({ method: 'GET', route: '/users/@me', signal: AbortSignal.abort(reason) })
      .catch((e: unknown) => e);
    expect(error).toBe(reason);
    expect(reason.stack).toBe(stackBefore);
  });
});
