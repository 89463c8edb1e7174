import { describe, expectTypeOf, it } from 'vitest';
import type { ThreadHandlerContext, ThreadHandlerSetup } from '@bot/gateway';
import { Client, Intents, Token, defineThreadClient, type ClientBuilder } from '@bot/client';

describe('defineThreadClient', () => {
  it('takes a factory of a builder or a client, given the thread context, and returns a thread handler setup', () => {
    const setup = defineThreadClient((context) => {
      expectTypeOf(context).toEqualTypeOf<ThreadHandlerContext>();
      return Client.builder(new Token('102000000', 'secret'), Intents.default());
    });
    expectTypeOf(setup).toEqualTypeOf<ThreadHandlerSetup>();
    expectTypeOf(defineThreadClient)
      .parameter(0)
      .returns.toEqualTypeOf<ClientBuilder | Client | PromiseLike<ClientBuilder | Client>>();
    // @ts-expect-error the factory must make a client
    defineThreadClient(() => ({ dispatch: () => undefined }));
  });
});
