import { Logger, type ILogObj } from 'tslog';
import { vi } from 'vitest';
import { createLogger, type BotLogger } from '@bot/http';
import {
  InMemoryIdentifyQueue,
  Shard,
  type ShardOptions,
  type ShardState,
  type TokenSource,
} from '@bot/gateway';

/** A logger that prints nothing. */
export function silentLogger(): Logger<ILogObj> {
  return new Logger<ILogObj>({ type: 'hidden' });
}

/**
 * A logger at the default level (info) that prints nothing and keeps each line it would print as
 * `LEVEL message`.
 */
export function capturingLogger(): { logger: BotLogger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger('test');
  logger.settings.type = 'hidden';
  logger.attachTransport((record) => {
    lines.push(`${String(record['_meta']?.logLevelName)} ${String(record['0'])}`);
  });
  return { logger, lines };
}

/** Fakes only the clocks (the wall clock and the steady one) and timers; socket I/O stays real. */
export function useFakeClock(): void {
  vi.useFakeTimers({
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'],
  });
}

/** A token source handing out `token-1`, then `token-2` after the first is invalidated, and so on. */
export class FakeTokens implements TokenSource {
  public generation = 1;
  public readonly invalidated: string[] = [];
  public failWith: Error | undefined;

  public get(): Promise<string> {
    if (this.failWith) return Promise.reject(this.failWith);
    return Promise.resolve(`token-${this.generation}`);
  }

  public invalidate(rejected: string): void {
    this.invalidated.push(rejected);
    if (rejected === `token-${this.generation}`) this.generation++;
  }
}

/** An identify queue with a budget large enough never to matter. */
export function roomyQueue(windowMs = 5_000): InMemoryIdentifyQueue {
  return new InMemoryIdentifyQueue({
    maxConcurrency: 1,
    total: 1_000,
    remaining: 1_000,
    resetAfterMs: 86_400_000,
    windowMs,
  });
}

/** Builds a shard for one fake gateway with quiet defaults. */
export function makeShard(
  gatewayUrl: string,
  overrides: Partial<ShardOptions> = {},
): { shard: Shard; tokens: FakeTokens } {
  const tokens = new FakeTokens();
  const shard = new Shard({
    id: 0,
    total: 1,
    intents: 1 << 30,
    gatewayUrl,
    tokens,
    identifyQueue: roomyQueue(),
    logger: silentLogger(),
    ...overrides,
  });
  shard.on('error', () => undefined);
  return { shard, tokens };
}

/** Resolves when the shard next enters `state` (immediately if it is there already). */
export function reach(shard: Shard, state: ShardState): Promise<void> {
  // Not events.once: it rejects on the 'error' event, which a fatal close emits first.
  if (shard.state === state) return Promise.resolve();
  return new Promise((resolve) => {
    const onState = (next: ShardState): void => {
      if (next !== state) return;
      shard.off('state', onState);
      resolve();
    };
    shard.on('state', onState);
  });
}

/**
 * Advances the fake clock in steps, letting real I/O run between them, until `done()` holds.
 * Fails after `limitMs` of fake time, so a stuck shard fails the test instead of hanging it.
 */
export async function advanceUntil(done: () => boolean, limitMs: number, stepMs = 100): Promise<void> {
  for (let elapsed = 0; !done(); elapsed += stepMs) {
    if (elapsed > limitMs) throw new Error(`condition not met within ${limitMs} ms of fake time`);
    await vi.advanceTimersByTimeAsync(stepMs);
    await settleIo();
  }
}

/**
 * Moves the fake clock forward by `ms` in steps, letting real I/O run between them (one big
 * jump would fire every heartbeat before a single acknowledgement could arrive).
 */
export async function advanceBy(ms: number, stepMs = 500): Promise<void> {
  for (let elapsed = 0; elapsed < ms; elapsed += stepMs) {
    await vi.advanceTimersByTimeAsync(Math.min(stepMs, ms - elapsed));
    await settleIo();
  }
}

/** Lets pending socket I/O complete (a few event-loop turns on real time). */
export async function settleIo(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
