import { expectTypeOf, test } from 'vitest';
import type { ShardLeaseConflict, ShardLeaseError } from '@bot/gateway/redis';
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
