import { expectTypeOf, test } from 'vitest';
import { WorkerRestartsExhaustedError, type ClientError, type EventHandler } from '@bot/client';

test("error() of the main client narrows a ClientError to WorkerRestartsExhaustedError on 'workerRestartsExhausted'", () => {
  const hooks: EventHandler = {
    error(error: ClientError) {
      if (error.kind === 'workerRestartsExhausted') {
        expectTypeOf(error).toEqualTypeOf<WorkerRestartsExhaustedError>();
        expectTypeOf(error.thread).toEqualTypeOf<number>();
        expectTypeOf(error.restarts).toEqualTypeOf<number>();
        expectTypeOf(error.shardIds).toEqualTypeOf<readonly number[]>();
      }
    },
  };
  void hooks;
});
