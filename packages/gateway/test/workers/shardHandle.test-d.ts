import { describe, expectTypeOf, it } from 'vitest';
import type {
  FatalGatewayError,
  ShardFatalError,
  ShardHandle,
  ShardManager,
  ThreadHandlerError,
  WorkerRestartsExhaustedError,
} from '@bot/gateway';

describe('ShardHandle (manager.shards values)', () => {
  it('names why a shard stopped precisely, and whether it sends a presence', () => {
    expectTypeOf<ShardManager['shards']>().toEqualTypeOf<ReadonlyMap<number, ShardHandle>>();
    expectTypeOf<ShardHandle['fatalError']>().toEqualTypeOf<ShardFatalError | undefined>();
    expectTypeOf<ShardFatalError>().toEqualTypeOf<
      FatalGatewayError | WorkerRestartsExhaustedError | ThreadHandlerError
    >();
    expectTypeOf<ShardHandle['supportsPresence']>().toEqualTypeOf<boolean>();
  });
});
