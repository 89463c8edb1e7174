import { expectTypeOf, test } from 'vitest';
import { ThreadHandlerError, type ClientError, type EventHandler } from '@bot/client';

test("error() of the main client narrows a ClientError to ThreadHandlerError on 'threadHandler'", () => {
  const hooks: EventHandler = {
    error(error: ClientError) {
      if (error.kind === 'threadHandler') {
        expectTypeOf(error).toEqualTypeOf<ThreadHandlerError>();
        expectTypeOf(error.thread).toEqualTypeOf<number>();
        expectTypeOf(error.shardIds).toEqualTypeOf<readonly number[]>();
      }
    },
  };
  void hooks;
});
