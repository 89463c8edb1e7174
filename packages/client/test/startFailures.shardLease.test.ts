/**
 * Two clients standing for two processes, sharing one lease table: the second one's overlapping
 * range must fail with the `ShardLeaseError` the leases refused it with (deployment.md, client
 * README), as a bare `ShardManager` does, not a `GatewayError` wrapping it.
 */
import { describe, expect, it } from 'vitest';
import { Emulator } from '@bot/testing';
import type { ShardLease, ShardLeases } from '@bot/gateway';
import { ShardCountConflictError, ShardLeaseError } from '@bot/gateway/redis';
import {
  Client,
  GatewayError,
  Intents,
  Token,
  createLogger,
  type ClientError,
  type EventHandler,
} from '@bot/client';

/** One lease table shared by "processes": each `holder()` is a process's `ShardLeases`. */
function leaseTable(): {
  holder: (owner: string) => ShardLeases;
  takeOver: (shardId: number, owner: string) => void;
} {
  const owners = new Map<number, string>();
  const lost = new Map<number, (error: Error) => void>();
  return {
    holder: (owner) => ({
      acquire(shardId: number): Promise<ShardLease> {
        const current = owners.get(shardId);
        if (current !== undefined && current !== owner) {
          return Promise.reject(new ShardLeaseError(shardId, current, 'heldElsewhere', 'held in the test'));
        }
        owners.set(shardId, owner);
        return Promise.resolve({
          lost: new Promise<Error>((resolve) => lost.set(shardId, resolve)),
          release: () => {
            if (owners.get(shardId) === owner) owners.delete(shardId);
            return Promise.resolve();
          },
        });
      },
    }),
    // Another process took the lease while its holder ran the shard (Redis lost track of it).
    takeOver: (shardId, owner) => {
      const previous = owners.get(shardId);
      owners.set(shardId, owner);
      lost.get(shardId)?.(new ShardLeaseError(shardId, owner, 'takenOver', `taken from ${previous}`));
    },
  };
}

/** A handler that records what `error()` receives. */
function errorRecorder(): { handler: EventHandler; errors: ClientError[] } {
  const errors: ClientError[] = [];
  return { errors, handler: { error: (error) => void errors.push(error) } };
}

async function clientOf(emulator: Emulator, leases: ShardLeases, handler: EventHandler): Promise<Client> {
  return Client.builder(new Token(emulator.appId, emulator.secret), Intents.default())
    .baseUrl(emulator.restUrl, emulator.tokenUrl)
    .logger(createLogger('test', 7))
    .gateway({ shardLeases: leases })
    .eventHandler(handler);
}

/** Resolves once every shard of `client` in `ids` is ready. */
function ready(client: Client, count: number): Promise<void> {
  return new Promise((resolve) => {
    client.shardManager.on('ready', (ids) => ids.length === count && resolve());
  });
}

describe('a shard another process holds the lease of', () => {
  it('fails the overlapping start* with the ShardLeaseError, reported to error() as it is', async () => {
    const emulator = await Emulator.start({ shards: 4, heartbeatInterval: 30_000 });
    const table = leaseTable();
    const first = await clientOf(emulator, table.holder('process-a'), {});
    const second = errorRecorder();
    const other = await clientOf(emulator, table.holder('process-b'), second.handler);
    try {
      const firstRunning = first.startShardRange({ from: 0, to: 1 }, 4);
      firstRunning.catch(() => undefined);
      await ready(first, 2);

      const failure = await other.startShardRange({ from: 1, to: 2 }, 4).catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(ShardLeaseError);
      expect(failure).not.toBeInstanceOf(GatewayError);
      expect(failure).toMatchObject({
        kind: 'shardLease',
        shardId: 1,
        owner: 'process-a',
        conflict: 'heldElsewhere',
      });
      expect(second.errors).toEqual([failure]);
      expect(other.shardManager.status()).toEqual([]);
    } finally {
      await other.shutdown();
      await first.shutdown();
      await emulator.stop();
    }
  });

  it('reports a lease taken over while the shard ran as the ShardLeaseError, once', async () => {
    const emulator = await Emulator.start({ shards: 2, heartbeatInterval: 30_000 });
    const table = leaseTable();
    const recorder = errorRecorder();
    const client = await clientOf(emulator, table.holder('process-a'), recorder.handler);
    try {
      const running = client.startShards(2);
      const settled = running.catch((error: unknown) => error);
      await ready(client, 2);

      table.takeOver(1, 'process-b');
      const failure = await settled;

      expect(failure).toBeInstanceOf(ShardLeaseError);
      expect(failure).toMatchObject({
        kind: 'shardLease',
        shardId: 1,
        owner: 'process-b',
        conflict: 'takenOver',
      });
      expect(recorder.errors.filter((error) => error.kind === 'shardLease')).toEqual([failure]);
      expect(recorder.errors.filter((error) => error instanceof GatewayError)).toEqual([]);
    } finally {
      await client.shutdown();
      await emulator.stop();
    }
  });

  it('fails a start* of another shard count with the ShardCountConflictError, reported to error() as it is', async () => {
    const emulator = await Emulator.start({ shards: 4, heartbeatInterval: 30_000 });
    const recorder = errorRecorder();
    const conflict = new ShardCountConflictError({
      shardId: 2,
      shardCount: 5,
      otherShardCount: 4,
      otherShardId: 0,
      owner: 'process-a',
      remainingMs: 10_000,
    });
    // A lease table whose fleet runs 4 shards: a claim of another count is refused as Redis's is.
    const leases: ShardLeases = { acquire: () => Promise.reject(conflict) };
    const client = await clientOf(emulator, leases, recorder.handler);
    try {
      const failure = await client.startShardRange({ from: 2, to: 4 }, 5).catch((error: unknown) => error);
      expect(failure).toBe(conflict);
      expect(failure).not.toBeInstanceOf(GatewayError);
      expect(recorder.errors).toEqual([conflict]);
      expect(client.shardManager.status()).toEqual([]);
    } finally {
      await client.shutdown();
      await emulator.stop();
    }
  });
});
