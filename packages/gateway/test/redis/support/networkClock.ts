import type { Redis } from 'ioredis';
import { vi } from 'vitest';
import type { ConformanceRunner } from '@bot/gateway/testing';

// Captured before any test fakes timers: the real event loop, to let network replies arrive.
const realSetImmediate = setImmediate;
const nextTurn = (): Promise<void> => new Promise((resolve) => realSetImmediate(resolve));

/**
 * Waits until none of the clients has a command awaiting its reply for a few event-loop turns in
 * a row (a reply may lead to the next command). Fake time stands still meanwhile.
 */
export async function settle(clients: readonly Redis[]): Promise<void> {
  for (let quiet = 0, turns = 0; quiet < 3; turns++) {
    if (turns > 100_000) throw new Error('Redis commands never settled');
    await nextTurn();
    quiet = clients.some((client) => client.commandQueue.length > 0) ? 0 : quiet + 1;
  }
}

/**
 * The fake-timer part of a conformance runner for queues that talk to a real server. On a fake
 * clock a timer may fire and send a command, but the reply arrives in real time: jumping the
 * clock ahead regardless would run later timers before the reply is in. So time advances one
 * timer at a time, and the network settles after each, as it would on a real clock whose
 * milliseconds are long compared to a round trip on 127.0.0.1. Only the clocks (wall and steady)
 * and timers are faked; sockets and `setImmediate` stay real.
 */
export function networkSettlingTimers(clients: () => readonly Redis[]): ConformanceRunner['vi'] {
  return {
    useFakeTimers: () =>
      vi.useFakeTimers({
        toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'],
      }),
    useRealTimers: () => vi.useRealTimers(),
    advanceTimersByTimeAsync: async (ms: number) => {
      await settle(clients());
      // A marker timer at the target time bounds every step: no step can pass the target.
      let reached = false;
      setTimeout(() => (reached = true), ms);
      while (!reached) {
        await vi.advanceTimersToNextTimerAsync();
        await settle(clients());
      }
      // Timers due exactly at the target but scheduled after the marker.
      await vi.advanceTimersByTimeAsync(0);
      await settle(clients());
    },
  };
}
