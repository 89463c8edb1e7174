import { describe, expect, it } from 'vitest';
import { Emulator } from '@bot/testing';
import {
  Client,
  ClientShutDownError,
  Intents,
  StartClashError,
  Token,
  ValidationError,
  createLogger,
} from '@bot/client';

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
        'start() would start shard 0, which is already running here: call ' +
          'client.shardManager.restart(0) to reconnect it, or client.shardManager.shutdown(0) first to ' +
          'start it anew',
      );

      const otherCount = await client.startShard(1, 2).catch((error: unknown) => error);
      expect(otherCount).toBeInstanceOf(ValidationError);
      expect((otherCount as ValidationError).message).toBe(
        'total must be 1, the count of the shards already running (got 2) in startShard(1, 2): ' +
          'a client runs one shard count: stop its shards first (client.shardManager.shutdownAll()), ' +
          'or run the other count in a new client',
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
            'a client runs one shard count: stop its shards first (client.shardManager.shutdownAll()), ' +
            'or run the other count in a new client',
        );
        expect((clash as StartClashError).cause).toMatchObject({
          clash: { kind: 'shardCount', running: 2, requested: 1 },
        });
      }

      // What the advice says works: the shards stopped, the same client runs the other count.
      await client.shardManager.shutdownAll({ invalidateSessions: true });
      await running;
      const ready = new Promise<void>((resolve) =>
        client.shardManager.on('state', (state) => state === 'ready' && resolve()),
      );
      const again = client.start();
      await ready;
      expect(client.shardManager.status().map((status) => status.id)).toEqual([0]);
      await client.shutdown({ invalidateSessions: true });
      await again;
    } finally {
      await emulator.stop();
    }
  });
});

describe('a client whose shutdown() completed', () => {
  it('refuses every way to start again with a ClientShutDownError naming the call and saying to build a new client', async () => {
    const emulator = await Emulator.start({ grantedIntents: 'all', heartbeatInterval: 30_000 });
    try {
      const builder = clientOn(emulator);
      const client = await builder;
      const ready = new Promise<void>((resolve) =>
        client.shardManager.on('state', (state) => state === 'ready' && resolve()),
      );
      const running = client.start();
      await ready;
      await client.shutdown({ invalidateSessions: true });
      await running;

      const refusals = await Promise.all(
        [
          () => client.start(),
          () => client.startAutosharded(),
          () => client.startShard(0, 1),
          () => client.startShards(1),
          () => client.startShardRange({ from: 0, to: 0 }, 1),
          () => client.startWebhook({ port: 0 }),
          () => client.startFrom({ start: () => undefined, stop: async () => undefined } as never),
          async () => client.webhookReceiver(),
        ].map((call) =>
          call().then(
            () => undefined,
            (error: unknown) => error,
          ),
        ),
      );
      for (const refusal of refusals) {
        expect(refusal).toBeInstanceOf(ClientShutDownError);
        expect(refusal).toMatchObject({ kind: 'clientShutDown' });
        expect((refusal as Error).message).toMatch(/after client\.shutdown\(\) completed/);
        expect((refusal as Error).message).toMatch(/Build a new client/);
      }
      expect((refusals[0] as ClientShutDownError).call).toBe('start()');
      expect((refusals[0] as ClientShutDownError).shutdown).toBe('completed');
      expect((refusals[7] as ClientShutDownError).call).toBe('webhookReceiver()');

      // As the refusal says: the same builder builds a client that starts.
      const next = await builder;
      const nextReady = new Promise<void>((resolve) =>
        next.shardManager.on('state', (state) => state === 'ready' && resolve()),
      );
      const nextRunning = next.start();
      await nextReady;
      await next.shutdown({ invalidateSessions: true });
      await nextRunning;
    } finally {
      await emulator.stop();
    }
  });

  it('refuses a start made while shutdown() still runs, which would outlive it: the webhook server is never opened', async () => {
    const emulator = await Emulator.start({ grantedIntents: 'all', heartbeatInterval: 30_000 });
    try {
      const client = await clientOn(emulator);
      const stopping = client.shutdown();
      const during = await client.startWebhook({ port: 0, host: '127.0.0.1' }).catch((e: unknown) => e);
      await stopping;
      expect(during).toBeInstanceOf(ClientShutDownError);
      expect(during).toMatchObject({ call: 'startWebhook()', shutdown: 'running' });
      expect((during as Error).message).toMatch(/while client\.shutdown\(\) runs/);
      expect(() => client.webhookReceiver()).toThrow(ClientShutDownError);
    } finally {
      await emulator.stop();
    }
  });
});
