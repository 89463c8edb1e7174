import { describe, expectTypeOf, it } from 'vitest';
import type { BotErrorKind } from '@bot/core';
import {
  defineThreadHandler,
  inProcessShards,
  workerThreads,
  type DispatchPayload,
  type ThreadHandlerSetup,
  type Shard,
  type ShardHandle,
  type ShardManager,
  type ShardStrategy,
  type WorkerRestartsExhaustedError,
} from '@bot/gateway';

describe('sharding strategies', () => {
  it('a Shard is a ShardHandle, and the manager hands out handles', () => {
    expectTypeOf<Shard>().toMatchTypeOf<ShardHandle>();
    expectTypeOf<ShardManager['shards']>().toEqualTypeOf<ReadonlyMap<number, ShardHandle>>();
  });

  it('both strategies fit ShardManagerOptions.strategy; workerThreads needs a thread count', () => {
    expectTypeOf(inProcessShards).toMatchTypeOf<ShardStrategy>();
    expectTypeOf(workerThreads({ workers: 2 })).toMatchTypeOf<ShardStrategy>();
    // @ts-expect-error the thread count is required
    workerThreads({ maxRestarts: 3 });
  });

  it('the exhausted restarts error has a kind of its own', () => {
    expectTypeOf<WorkerRestartsExhaustedError['kind']>().toEqualTypeOf<'workerRestartsExhausted'>();
    expectTypeOf<'workerRestartsExhausted'>().toMatchTypeOf<BotErrorKind>();
  });
});

describe('defineThreadHandler', () => {
  it('types the setup context and the handler it returns', () => {
    const setup = defineThreadHandler(({ index, data, tokens, logger }) => {
      expectTypeOf(index).toEqualTypeOf<number>();
      expectTypeOf(data).toEqualTypeOf<unknown>();
      expectTypeOf(tokens.get).returns.toEqualTypeOf<Promise<string>>();
      expectTypeOf(logger.info).toBeFunction();
      return {
        dispatch(payload, shardId, shardCount) {
          expectTypeOf(payload).toEqualTypeOf<DispatchPayload>();
          expectTypeOf(shardId).toEqualTypeOf<number>();
          expectTypeOf(shardCount).toEqualTypeOf<number>();
        },
      };
    });
    expectTypeOf(setup).toEqualTypeOf<ThreadHandlerSetup>();
    // @ts-expect-error a handler must have dispatch(payload, shardId)
    defineThreadHandler(() => ({ handle: () => undefined }));
  });
});
