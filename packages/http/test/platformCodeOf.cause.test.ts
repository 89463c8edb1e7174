import { describe, expect, it } from 'vitest';
import {
  ApiError,
  BotError,
  DuplicateSendError,
  hasPlatformCode,
  isKnownApiError,
  PlatformCode,
  platformCodeOf,
  RichContentFallbackError,
} from '../src/index.js';

const ROUTE = '/v2/groups/{group_openid}/messages';

function refusal(code: number): ApiError {
  return new ApiError({
    status: 400,
    code,
    errCode: undefined,
    message: 'refused',
    traceId: undefined,
    method: 'POST',
    route: ROUTE,
  });
}

/** A framework wrapper of the client's kind: a handler's failure keeping what it threw as cause. */
class WrapperError extends BotError {
  public readonly kind = 'validation' as const;
  public constructor(cause: unknown) {
    super('a handler failed', { cause });
  }
}

/*
 * The client reports a reply that failed inside a handler to error() wrapped (a HandlerError whose
 * cause is the ApiError), so the documented switch on platformCodeOf(error) must read the cause.
 */
describe('platformCodeOf and causes', () => {
  it("reads the code of a wrapped refusal, as error() receives a handler's failed reply", () => {
    expect(platformCodeOf(new WrapperError(refusal(PlatformCode.ReplyExpired)))).toBe(
      PlatformCode.ReplyExpired,
    );
  });

  it("reads through a bot's own wrappers, several deep", () => {
    const wrapped = new Error('welcome failed', {
      cause: new WrapperError(new Error('send failed', { cause: refusal(PlatformCode.MsgIdInvalid) })),
    });
    expect(platformCodeOf(wrapped)).toBe(PlatformCode.MsgIdInvalid);
  });

  it('takes the outermost code: a duplicate refusal, not the earlier failure it keeps as cause', () => {
    const duplicate = new DuplicateSendError(refusal(40054005), 2, refusal(PlatformCode.ReplyExpired));
    expect(platformCodeOf(new WrapperError(duplicate))).toBe(40054005);
  });

  it("gives a failed rich-content fallback's code as the plain text's failure, not the markdown refusal", () => {
    const failed = new RichContentFallbackError(
      refusal(PlatformCode.ReplyMarkdownNotPermitted),
      refusal(PlatformCode.ReplyExpired),
      false,
    );
    expect(platformCodeOf(failed)).toBe(PlatformCode.ReplyExpired);
  });

  it('ends on a cycle of causes and past the depth it reads', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    Object.defineProperty(a, 'cause', { value: b });
    expect(platformCodeOf(a)).toBeUndefined();

    let deep: unknown = refusal(PlatformCode.ReplyExpired);
    for (let i = 0; i < 100; i += 1) deep = new Error(`layer ${i}`, { cause: deep });
    expect(platformCodeOf(deep)).toBeUndefined();
  });

  it('finds no code in causes that are not errors, nor in an unknown code', () => {
    expect(platformCodeOf(new Error('x', { cause: { code: PlatformCode.ReplyExpired } }))).toBeUndefined();
    expect(platformCodeOf(new WrapperError(refusal(123456789)))).toBeUndefined();
    expect(platformCodeOf(undefined)).toBeUndefined();
  });

  it('leaves the type guards to the error itself, whose type they narrow', () => {
    const wrapped = new WrapperError(refusal(PlatformCode.ReplyExpired));
    expect(isKnownApiError(wrapped)).toBe(false);
    expect(hasPlatformCode(wrapped, PlatformCode.ReplyExpired)).toBe(false);
  });
});
