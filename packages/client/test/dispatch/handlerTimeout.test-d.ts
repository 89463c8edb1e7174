import { expectTypeOf, test } from 'vitest';
import {
  Client,
  ClientBuilder,
  HandlerTimeoutError,
  Intents,
  Token,
  type BotErrorKinds,
  type ClientError,
} from '@bot/client';

test('handlerTimeout chains on the builder', () => {
  const builder = Client.builder(new Token('a', 'b'), Intents.default());
  expectTypeOf(
    builder.handlerTimeout(30_000).dispatchPolicy({ mode: 'sequential' }),
  ).toEqualTypeOf<ClientBuilder>();
  expectTypeOf(builder.getHandlerTimeout()).toEqualTypeOf<number>();
});

test("switch (error.kind) narrows a ClientError to HandlerTimeoutError on 'handlerTimeout'", () => {
  const narrow = (error: ClientError): void => {
    if (error.kind === 'handlerTimeout') {
      expectTypeOf(error).toEqualTypeOf<HandlerTimeoutError>();
      expectTypeOf(error.eventId).toEqualTypeOf<string | undefined>();
      expectTypeOf(error.ranMs).toEqualTypeOf<number>();
    }
  };
  void narrow;
  expectTypeOf<BotErrorKinds['handlerTimeout']>().toEqualTypeOf<HandlerTimeoutError>();
});
