import { afterEach } from 'vitest';
import { Emulator, type EmulatorOptions } from '@bot/testing';
import { Client, Intents, Token, createLogger, type ClientBuilder, type EventHandler } from '@bot/client';

/** An emulator and a client wired to it, started and torn down together. */
export interface Harness {
  emulator: Emulator;
  client: Client;
  /** Settles when the client's `start*` call does (after `stop()`). */
  running: Promise<void>;
  stop(): Promise<void>;
}

/** Every intent the emulator grants with `grantedIntents: 'all'`. */
export const ALL = Intents.all();

/**
 * Starts an emulator, builds a client for it with `handlers`, starts shard 0 and waits for READY.
 *
 * @param handlers - event handlers, registered in order
 * @param configure - extra builder settings
 * @param options - emulator options
 */
export async function startHarness(
  handlers: EventHandler[],
  configure: (builder: ClientBuilder) => ClientBuilder = (builder) => builder,
  options: EmulatorOptions = {},
): Promise<Harness> {
  const emulator = await Emulator.start({ grantedIntents: 'all', heartbeatInterval: 30_000, ...options });
  let builder = Client.builder(new Token(emulator.appId, emulator.secret), ALL)
    .baseUrl(emulator.restUrl, emulator.tokenUrl)
    .logger(createLogger('test', 5));
  for (const handler of handlers) builder = builder.eventHandler(handler);
  const client = await configure(builder);
  let ready!: () => void;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  client.shardManager.on('state', (state) => state === 'ready' && ready());
  const running = client.start();
  running.catch(() => undefined);
  await isReady;
  return {
    emulator,
    client,
    running,
    async stop() {
      await client.shutdown({ invalidateSessions: true });
      await running.catch(() => undefined);
      await emulator.stop();
    },
  };
}

/** The harness of each test in a block, stopped after it; see {@link useHarness}. */
export interface HarnessSlot {
  /** Starts the test's harness (as {@link startHarness}), stopped after the test. */
  start(...args: Parameters<typeof startHarness>): Promise<Harness>;
  /** A gate for the test's handlers to wait on: open once `open()` is called, or after the test. */
  gate(): Promise<void>;
  /** Opens the test's gate. */
  open(): void;
}

/**
 * For the enclosing block: after each test, opens its gate (so held handlers finish) and stops
 * the harness it started.
 */
export function useHarness(): HarnessSlot {
  let harness: Harness | undefined;
  let open: () => void = () => undefined;
  afterEach(async () => {
    open();
    await harness?.stop();
    harness = undefined;
  });
  return {
    async start(...args) {
      harness = await startHarness(...args);
      return harness;
    },
    gate: () => new Promise<void>((resolve) => (open = resolve)),
    open: () => open(),
  };
}

/**
 * A handler that holds each group message until `gate` opens, then records its content, in the
 * order handled.
 */
export function heldHandler(gate: Promise<void>): { handler: EventHandler; handled: string[] } {
  const handled: string[] = [];
  const handler: EventHandler = {
    async groupMessageCreate(_ctx, message) {
      await gate;
      handled.push(message.cleanContent);
    },
  };
  return { handler, handled };
}
