/**
 * Under `exactOptionalPropertyTypes` a bot forwards `T | undefined` read from its config into our
 * options; every optional input option, query and request body of this package accepts an
 * explicit `undefined`, read as the option left out.
 */
import { expectTypeOf, test } from 'vitest';
import {
  AccessTokenProvider,
  RestClient,
  Token,
  type AccessTokenProviderOptions,
  type ButtonOptions,
  type ChannelMessageListQuery,
  type CommandButtonOptions,
  type FileAttachment,
  type FileInfoCacheOptions,
  type MediaUploaderOptions,
  type PlainUploadBody,
  type RateLimitOptions,
  type RequestOptions,
  type RestClientOptions,
  type RichFallbackOptions,
  type StreamMessageBody,
  type UploadMediaOptions,
} from '@bot/http';

/** The optional keys of `T`. */
type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];
/**
 * The optional keys of `T` that refuse an explicit `undefined` (`T[K]` reads as `| undefined` either
 * way, so the check assigns `{ K: undefined }`): `never` when there is none.
 */
type RefusingUndefined<T> = {
  [K in OptionalKeys<T>]-?: { [P in K]: undefined } extends Pick<T, K> ? never : K;
}[OptionalKeys<T>];

test('no optional input option, query or request body refuses undefined', () => {
  expectTypeOf<RefusingUndefined<ChannelMessageListQuery>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<StreamMessageBody>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<PlainUploadBody>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<AccessTokenProviderOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<ButtonOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<CommandButtonOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<FileInfoCacheOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<MediaUploaderOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<UploadMediaOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<RichFallbackOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<RequestOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<FileAttachment>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<RestClientOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<RateLimitOptions>>().toEqualTypeOf<never>();
});

test('RestClient takes every optional option, and each rate limit, as undefined', () => {
  const token = new Token('1', 's');
  void new RestClient({
    token,
    sandbox: undefined,
    baseUrl: undefined,
    tokenUrl: undefined,
    tokens: undefined,
    timeout: undefined,
    retries: undefined,
    backoff: undefined,
    maxRateLimitWait: undefined,
    maxResponseBytes: undefined,
    rateLimits: undefined,
    logger: undefined,
    userAgent: undefined,
    richContentFallback: undefined,
    callSites: undefined,
    maxSockets: undefined,
    maxWaitingForConnection: undefined,
  });
  void new RestClient({
    token,
    rateLimits: {
      messagesPerSecond: undefined,
      maxQueued: undefined,
      routes: undefined,
      concurrency: undefined,
    },
  });
  void new AccessTokenProvider(token, {
    tokenUrl: undefined,
    refreshMargin: undefined,
    timeout: undefined,
    logger: undefined,
    http: undefined,
    signal: undefined,
  });
});
