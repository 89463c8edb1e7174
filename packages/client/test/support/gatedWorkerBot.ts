import { Emulator } from '@bot/testing';
import { workerThreads, type WorkerThreadsStrategy } from '@bot/gateway';
import { Client, Intents, Token, createLogger, type ClientError } from '@bot/client';

// What the tests of shards on a worker thread, handlers on the main thread and the default session
// store share, against a platform strict about resumes.

/** The frames of opcode `op` the bot sent. */
export function framesOf(emulator: Emulator, op: number): Array<{ index: number; d: unknown }> {
  return emulator.recorder.records.flatMap((record) =>
    record.kind === 'gateway' && record.op === op ? [record] : [],
  );
}

/** The seq the emulator sent the event of message `id` with. */
export function seqOf(emulator: Emulator, id: string): number {
  for (const record of emulator.recorder.records) {
    if (record.kind !== 'sent') continue;
    const d = record.payload.d as { id?: unknown } | undefined;
    if (d?.id === id && typeof record.payload.s === 'number') return record.payload.s;
  }
  throw new Error(`message ${id} was not sent`);
}

/** The close codes of the gateway connections that ended. */
export function closeCodes(emulator: Emulator): number[] {
  return emulator.recorder.records.flatMap((record) => (record.kind === 'close' ? [record.code] : []));
}

/** A started bot whose group message handler holds every event after the first until released. */
export interface GatedWorkerBot {
  readonly emulator: Emulator;
  readonly strategy: WorkerThreadsStrategy;
  readonly client: Client;
  /** The ids of the group messages handled. */
  readonly handled: Set<string>;
  /** The errors the bot's error handler was given. */
  readonly errors: ClientError[];
  /** Resolves once the shard is first ready. */
  readonly ready: Promise<void>;
  /** Lets the held handlers go on. */
  release(): void;
  /** Releases the handlers, shuts the bot down (its sessions invalidated) and stops the emulator. */
  stop(): Promise<void>;
}

/**
 * Starts the emulator (heartbeats every 100 ms, strict about resumes) and a bot with one worker
 * thread restarted after 50 ms, sequential dispatch, and sessions written every 20 ms.
 */
export async function startGatedWorkerBot(): Promise<GatedWorkerBot> {
  const emulator = await Emulator.start({
    grantedIntents: 'all',
    heartbeatInterval: 100,
    strictResume: true,
  });
  const strategy = workerThreads({ workers: 1, restartBaseMs: 50, restartMaxMs: 50 });
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const handled = new Set<string>();
  const errors: ClientError[] = [];
  const client = await Client.builder(new Token(emulator.appId, emulator.secret), Intents.all())
    .baseUrl(emulator.restUrl, emulator.tokenUrl)
    .logger(createLogger('test', 7))
    .dispatchPolicy({ mode: 'sequential' })
    // A budget that allows heartbeats every 100 ms; sessions written every 20 ms.
    .gateway({ strategy, seqFlushDelayMs: 20, sendLimit: { limit: 1_200, windowMs: 60_000 } })
    .eventHandler({
      async groupMessageCreate(_ctx, message) {
        // The first event is handled at once; every later one waits until released.
        if (handled.size > 0) await gate;
        handled.add(message.id);
      },
      error: (error) => void errors.push(error),
    });
  const ready = new Promise<void>((resolve) =>
    client.shardManager.on('state', (state) => state === 'ready' && resolve()),
  );
  const running = client.start();
  running.catch(() => undefined);
  return {
    emulator,
    strategy,
    client,
    handled,
    errors,
    ready,
    release: () => release(),
    async stop() {
      release();
      await client.shutdown({ invalidateSessions: true });
      await running;
      await emulator.stop();
    },
  };
}
