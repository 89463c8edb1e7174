/**
 * Under `exactOptionalPropertyTypes` a bot forwards `number | undefined` read from its config into
 * the builder's option objects; every optional input option accepts an explicit `undefined`, read
 * as the option left out.
 */
import { expectTypeOf, test } from 'vitest';
import {
  Client,
  Intents,
  Token,
  type BackpressureOptions,
  type ClientConfig,
  type ClientShutdownOptions,
  type ClientWebhookOptions,
  type GatewayOptions,
  type Message,
  type ReplyMediaOptions,
  type ReplyOptions,
  type ReplyStreamOptions,
  type WebhookStartOptions,
} from '@bot/client';

/** The optional keys of `T`. */
type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];
/**
 * The optional keys of `T` that refuse an explicit `undefined` (`T[K]` reads as `| undefined` either
 * way, so the check assigns `{ K: undefined }`): `never` when there is none.
 */
type RefusingUndefined<T> = {
  [K in OptionalKeys<T>]-?: { [P in K]: undefined } extends Pick<T, K> ? never : K;
}[OptionalKeys<T>];

declare const env: { window?: number; high?: number; low?: number; deadline?: number; path?: string };

test('no optional input option refuses undefined', () => {
  expectTypeOf<RefusingUndefined<ClientConfig>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<GatewayOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<BackpressureOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<ClientWebhookOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<NonNullable<ClientWebhookOptions['limits']>>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<WebhookStartOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<ClientShutdownOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<ReplyOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<ReplyStreamOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<ReplyMediaOptions>>().toEqualTypeOf<never>();
});

test('the builder takes config values that may be undefined', async () => {
  const client = await Client.builder(new Token('1', 's'), Intents.default())
    .gateway({
      identifyWindowMs: env.window,
      shutdownTimeoutMs: undefined,
      onFatal: undefined,
      timeouts: { handshakeMs: undefined, helloMs: undefined },
      backoff: { baseMs: undefined, maxMs: undefined, stableAfterMs: undefined },
      sendLimit: undefined,
      maxPayload: undefined,
    })
    .backpressure({ highWaterMark: env.high, lowWaterMark: env.low })
    .rateLimits({
      messagesPerSecond: undefined,
      maxQueued: undefined,
      routes: undefined,
      concurrency: undefined,
    })
    .richContentFallback({})
    .build();
  client.webhookReceiver({ path: env.path, limits: { maxBodyBytes: undefined }, dispatchWaitMs: undefined });
  await client.startWebhook({ port: 0, host: undefined, path: undefined });
  await client.shutdown({ invalidateSessions: undefined, deadlineMs: env.deadline });
});

declare const message: Message;

test('replies take their optional options as undefined', async () => {
  await message.reply('hi', { replyWindow: undefined });
  message.replyStream({
    intervalMs: undefined,
    maxLength: undefined,
    contentType: undefined,
    idleTimeoutMs: undefined,
  });
});
