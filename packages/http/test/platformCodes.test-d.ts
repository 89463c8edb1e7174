import { describe, expectTypeOf, it } from 'vitest';
import {
  ApiError,
  hasPlatformCode,
  isKnownApiError,
  type KnownApiError,
  PlatformCode,
  platformCodeOf,
} from '../src/index.js';

/** A switch with a case per code: `never` remains, so adding a code without a case fails to compile. */
function remedyFor(code: PlatformCode): string {
  switch (code) {
    case PlatformCode.TokenExpired:
    case PlatformCode.MessageRateLimited:
    case PlatformCode.ChannelWriteRateLimited:
    case PlatformCode.ReactionRateLimited:
      return 'handled by the client';
    case PlatformCode.EmptyMessage:
    case PlatformCode.UrlNotRegistered:
      return 'fix the message';
    case PlatformCode.MarkdownTemplateNotPermitted:
    case PlatformCode.KeyboardNotPermitted:
    case PlatformCode.ReplyMarkdownNotPermitted:
    case PlatformCode.CustomKeyboardNotPermitted:
    case PlatformCode.NativeMarkdownNotPermitted:
      return 'send plain text';
    case PlatformCode.MediaUploadFailed:
    case PlatformCode.MediaConvertFailed:
      return 'retry later';
    case PlatformCode.MsgIdInvalid:
    case PlatformCode.ReplyExpired:
    case PlatformCode.GuildMessageTooOld:
    case PlatformCode.RepliesUsedUp:
    case PlatformCode.ProactiveNotPermitted:
    case PlatformCode.DuplicateMsgSeq:
      return 'reply differently';
    default:
      expectTypeOf(code).toBeNever();
      return code;
  }
}

describe('PlatformCode', () => {
  it('is a union of number literals, and a switch over it can be exhaustive', () => {
    expectTypeOf<PlatformCode>().toExtend<number>();
    expectTypeOf<50006>().toExtend<PlatformCode>();
    expectTypeOf<12345>().not.toExtend<PlatformCode>();
    expectTypeOf(remedyFor).returns.toEqualTypeOf<string>();
  });

  it('narrows a known ApiError by its code in a switch', () => {
    const error = new ApiError({
      status: 400,
      code: 50006,
      errCode: undefined,
      message: 'empty',
      traceId: undefined,
      method: 'POST',
      route: '/x',
    }) as ApiError;
    if (isKnownApiError(error)) {
      expectTypeOf(error).toEqualTypeOf<KnownApiError>();
      switch (error.code) {
        case PlatformCode.EmptyMessage:
          expectTypeOf(error).toEqualTypeOf<ApiError<50006>>();
          break;
        case PlatformCode.ReplyMarkdownNotPermitted:
          expectTypeOf(error.code).toEqualTypeOf<304041>();
          break;
      }
    }
    if (hasPlatformCode(error, PlatformCode.MsgIdInvalid)) {
      expectTypeOf(error.code).toEqualTypeOf<40034024>();
    }
  });

  it('reads the code of any error as the union or undefined', () => {
    expectTypeOf(platformCodeOf).returns.toEqualTypeOf<PlatformCode | undefined>();
    expectTypeOf<ApiError['code']>().toEqualTypeOf<number>();
  });
});
