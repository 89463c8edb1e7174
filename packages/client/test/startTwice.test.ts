import { describe, expect, it } from 'vitest';
import { Emulator } from '@bot/testing';
import { Client, Intents, StartClashError, Token, ValidationError, createLogger } from '@bot/client';

/** A silent client of `emulator` with one handler. */
function clientOn(emulator: Emulator) {
  return Client.builder(new Token(emulator.appId, emulator.secret), Intents.default())
    .baseUrl(emulator.restUrl, emulator.tokenUrl)
    .logger(createLogger('test', 7))
    .eventHandler({ messageCreate: () => undefined });
}

describe('a start* call clashing with the shards a client runs', () => {
  it('advises what a Client offers, while the manager keeps its own advice for manager users', async () => {
    const emulator = await Emulator.start({ grantedIntents: 'all', heartbeatInterval: 30_000 });
    try {
      const client = await clientOn(emulator);
      const ready = new Promise<void>((resolve) =>
        client.shardManager.on('state', (state) => state === 'ready' && resolve()),
      );
      const running = client.start();
      await ready;

      const again = await client.start().catch((error: unknown) => error);
      expect(again).toBeInstanceOf(StartClashError);
      expect((again as StartClashError).cause).toBeInstanceOf(StartClashError);
      expect((again as ValidationError).message).toBe(
        'start() would start shard 0, which is already running here: await client.shutdown() before ' +
          'starting it again, or call client.shardManager.restart(0) to reconnect it',
      );

      const otherCount = await client.startShard(1, 2).catch((error: unknown) => error);
      expect(otherCount).toBeInstanceOf(ValidationError);
      expect((otherCount as ValidationError).message).toBe(
        'total must be 1, the count of the shards already running (got 2) in startShard(1, 2): ' +
          'a client runs one shard count; await client.shutdown() first',
      );

      const throughManager = await client.shardManager.start().catch((error: unknown) => error);
      expect((throughManager as ValidationError).message).toMatch(
        /: call shutdown\(0\) first, or restart\(0\) to reconnect it$/,
      );

      await client.shutdown({ invalidateSessions: true });
      await running;
    } finally {
      await emulator.stop();
    }
  });

  it('advises client.shutdown() when start() or startAutosharded() would run another shard count', async () => {
    const emulator = await Emulator.start({ grantedIntents: 'all', heartbeatInterval: 30_000 });
    try {
      const client = await clientOn(emulator);
      const running = client.startShard(1, 2);

      for (const [call, start] of [
        ['start()', () => client.start()],
        ['startAutosharded()', () => client.startAutosharded()],
      ] as const) {
        const clash = await start().catch((error: unknown) => error);
        expect(clash).toBeInstanceOf(StartClashError);
        expect((clash as ValidationError).message).toBe(
          `${call} would run a shard count of 1, but the shards already running use 2: ` +
            'a client runs one shard count; await client.shutdown() first',
        );
        expect((clash as StartClashError).cause).toMatchObject({
          clash: { kind: 'shardCount', running: 2, requested: 1 },
        });
      }

      await client.shutdown({ invalidateSessions: true });
      await running;
    } finally {
      await emulator.stop();
    }
  });
});
