import { describe, expect, it } from 'vitest';
import { ACCESS_TOKEN_ROUTE, AccessTokenProvider, ApiError, Token } from '@bot/http';
import { useEmulatorRest } from './support/emulatorRest.js';

// A call whose first attempt may have landed (a 5xx) and whose re-send then cannot get a token
// must still say that its request may have been delivered: the token endpoint's own error tells
// of the token request, and a caller reading it would send again.

/** Tokens that, once armed, serve one request, then are lost, the token endpoint answering 503. */
class TokensLostAfterFirstUse extends AccessTokenProvider {
  #served: number | undefined;

  /** From now on, the token serves one request. */
  public arm(): void {
    this.#served = 0;
  }

  public override current(): string | undefined {
    if (this.#served === undefined) return super.current();
    return this.#served++ === 0 ? super.current() : undefined;
  }

  public override get(options?: { signal?: AbortSignal }): Promise<string> {
    if (this.#served === undefined) return super.get(options);
    return Promise.reject(
      new ApiError({
        status: 503,
        code: 503,
        errCode: undefined,
        message: 'token service unavailable',
        traceId: undefined,
        method: 'POST',
        route: ACCESS_TOKEN_ROUTE,
      }),
    );
  }
}

describe('a call whose re-send finds the token endpoint down', () => {
  const setup = useEmulatorRest();

  it("fails with its earlier attempt's failure, which may have been delivered, not the token endpoint's", async () => {
    const { emulator } = setup;
    const tokens = new TokensLostAfterFirstUse(new Token(emulator.appId, emulator.secret), {
      tokenUrl: emulator.tokenUrl,
    });
    await tokens.get();
    tokens.arm();
    const api = setup.client({ tokens, retries: 1 });
    emulator.faults.failRoute('POST /v2/groups/{group_openid}/messages', { status: 500 });
    const group = emulator.simulate.groupAtMessage({ content: 'hello' });

    const error = await api.groups
      .send(group.d.group_openid, { msg_type: 0, content: 'pong', msg_id: group.d.id, msg_seq: 1 })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 500,
      route: '/v2/groups/{group_openid}/messages',
      mayHaveBeenSent: true,
    });
  });
});
