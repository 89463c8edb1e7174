import { expectTypeOf, test } from 'vitest';
import type { ShardCountConflictError, ShardLeaseConflict, ShardLeaseError } from '@bot/gateway/redis';
import type { ClientError } from '@bot/client';

test("error()'s union narrows kind 'shardLease' to the ShardLeaseError of @bot/gateway/redis", () => {
  const narrow = (error: ClientError): void => {
    if (error.kind === 'shardLease') {
      expectTypeOf(error).toEqualTypeOf<ShardLeaseError>();
      expectTypeOf(error.conflict).toEqualTypeOf<ShardLeaseConflict>();
    }
  };
  expectTypeOf(narrow).toBeFunction();
});

test("error()'s union narrows kind 'shardCountConflict' to the ShardCountConflictError of @bot/gateway/redis", () => {
  const narrow = (error: ClientError): void => {
    if (error.kind === 'shardCountConflict') {
      expectTypeOf(error).toEqualTypeOf<ShardCountConflictError>();
      expectTypeOf(error.otherShardCount).toEqualTypeOf<number>();
    }
  };
  expectTypeOf(narrow).toBeFunction();
});
