import { expectTypeOf, test } from 'vitest';
import {
  Client,
  ClientBuilder,
  ClientDestroyedError,
  Intents,
  Token,
  defineKey,
  type C2CMessage,
  type Context,
  type DirectMessage,
  type EventHandler,
  type GatewayOptions,
  type GroupMessage,
  type Message,
  type Ready,
} from '@bot/client';

test('awaiting the builder yields a Client, and every setter chains', async () => {
  const builder = Client.builder(new Token('a', 'b'), Intents.default());
  expectTypeOf(builder).toEqualTypeOf<ClientBuilder>();
  expectTypeOf(builder.sandbox().status('online').eventHandler({})).toEqualTypeOf<ClientBuilder>();
  expectTypeOf(await builder).toEqualTypeOf<Client>();
});

test('data() only takes values of the key type', () => {
  const Count = defineKey<number>('count');
  const builder = Client.builder(new Token('a', 'b'), Intents.default());
  builder.data(Count, 1);
  // @ts-expect-error a string is not a number
  builder.data(Count, 'one');
});

test('handler methods receive the model of their event', () => {
  const handler: EventHandler = {
    ready(_ctx, ready) {
      expectTypeOf(ready).toEqualTypeOf<Ready>();
    },
    messageCreate(ctx, message) {
      expectTypeOf(ctx).toEqualTypeOf<Context>();
      expectTypeOf(message).toEqualTypeOf<Message>();
    },
    directMessageCreate(_ctx, message) {
      expectTypeOf(message).toEqualTypeOf<DirectMessage>();
    },
    groupMessageCreate(_ctx, message) {
      expectTypeOf(message).toEqualTypeOf<GroupMessage>();
      expectTypeOf<string>().toMatchTypeOf<Parameters<typeof message.reply>[0]>();
    },
    c2cMessageCreate(_ctx, message) {
      expectTypeOf(message).toEqualTypeOf<C2CMessage>();
    },
  };
  expectTypeOf(handler).toMatchTypeOf<EventHandler>();
});

test('a handler with a wrong parameter type is refused', () => {
  const wrong = {
    messageCreate(_ctx: Context, message: GroupMessage) {
      return message.groupOpenid.length > 0 ? undefined : undefined;
    },
  };
  // @ts-expect-error messageCreate receives a guild Message, not a GroupMessage
  const handler: EventHandler = wrong;
  expectTypeOf(handler).toMatchTypeOf<EventHandler>();
});

test('switch (error.kind) narrows the error passed to error()', () => {
  const handler: EventHandler = {
    error(error) {
      switch (error.kind) {
        case 'api':
          expectTypeOf(error.code).toEqualTypeOf<number>();
          expectTypeOf(error.traceId).toEqualTypeOf<string | undefined>();
          break;
        case 'rateLimited':
          expectTypeOf(error.retryAfter).toEqualTypeOf<number>();
          break;
        case 'handler':
          expectTypeOf(error.event).toEqualTypeOf<string>();
          expectTypeOf(error.abandoned).toEqualTypeOf<boolean>();
          break;
        case 'clientDestroyed':
          expectTypeOf(error).toEqualTypeOf<ClientDestroyedError>();
          // No route for the reason RestClient.destroy() gives its closing signal.
          expectTypeOf(error.route).toEqualTypeOf<string | undefined>();
          break;
        case 'gateway':
          expectTypeOf(error.shardId).toEqualTypeOf<number | undefined>();
          break;
        case 'validation':
          expectTypeOf(error.field).toEqualTypeOf<string>();
          break;
      }
    },
  };
  expectTypeOf(handler.error).not.toBeUndefined();
});

test('gateway() takes the gateway options, not what the client wires itself', () => {
  const builder = Client.builder(new Token('a', 'b'), Intents.default());
  expectTypeOf(
    builder.gateway({
      identifyWindowMs: 2_000,
      backoff: { maxMs: 30_000 },
      closeCodes: { 4009: 'identify' },
    }),
  ).toEqualTypeOf<ClientBuilder>();
  // @ts-expect-error intents have a builder step of their own
  builder.gateway({ intents: 1 });
  // @ts-expect-error not a close-code action
  builder.gateway({ closeCodes: { 4009: 'reboot' } });
  expectTypeOf(builder.getGateway()).toEqualTypeOf<GatewayOptions>();
});

test('one name for each back-off: BackoffOptions is the delay curve, ReconnectBackoffOptions what gateway({ backoff }) takes', () => {
  expectTypeOf<import('@bot/client').BackoffOptions>().toEqualTypeOf<import('@bot/core').BackoffOptions>();
  expectTypeOf<NonNullable<GatewayOptions['backoff']>>().toEqualTypeOf<
    import('@bot/client').ReconnectBackoffOptions
  >();
});
