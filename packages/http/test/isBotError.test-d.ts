import { describe, expectTypeOf, it } from 'vitest';
import {
  type ApiError,
  type BotError,
  type BotErrorKinds,
  isBotError,
  type RateLimitedError,
  ValidationError,
} from '../src/index.js';

describe('isBotError', () => {
  it('narrows to the union of registered errors, so the switch in the TSDoc of BotErrorKind compiles', () => {
    const seen = (error: unknown): string => {
      if (!isBotError(error)) return 'not ours';
      switch (error.kind) {
        case 'api':
          expectTypeOf(error).toEqualTypeOf<BotErrorKinds['api']>();
          return `${error.code} ${error.traceId ?? ''}`;
        case 'rateLimited':
          expectTypeOf(error).toEqualTypeOf<BotErrorKinds['rateLimited']>();
          return `retry in ${error.retryAfter} ms`;
        default:
          return error.message;
      }
    };
    expectTypeOf(seen).returns.toEqualTypeOf<string>();
  });

  it('keeps what is known of a BotError it narrows', () => {
    const error: Error = new ValidationError('x', 'is bad');
    if (isBotError(error)) {
      expectTypeOf(error).toExtend<BotError>();
      expectTypeOf<ApiError>().toExtend<typeof error>();
      expectTypeOf<RateLimitedError>().toExtend<typeof error>();
    }
  });
});
