/** The transport alone: one `Shard` of `@bot/gateway` and its `dispatch` event, no client on top. */
import { InMemoryIdentifyQueue, Intents, Shard } from '@bot/gateway';
import { createLogger } from '@bot/http';
import { ACCESS_TOKEN, type IngestProbe } from './wiring.js';

/** Starts one shard and counts its dispatches. */
export function connect({ job, count, ready }: IngestProbe): void {
  const shard = new Shard({
    id: 0,
    total: 1,
    intents: Intents.default().withGroupAndC2cEvent().withInteraction().bits,
    gatewayUrl: job.gatewayUrl,
    tokens: { get: () => Promise.resolve(ACCESS_TOKEN), invalidate: () => undefined },
    identifyQueue: new InMemoryIdentifyQueue({
      maxConcurrency: 1,
      total: 1000,
      remaining: 1000,
      resetAfterMs: 86_400_000,
    }),
    // Above every tslog level: prints nothing.
    logger: createLogger('bench', 7),
  });
  shard.on('dispatch', (payload) => (payload.t === 'READY' ? ready() : count()));
  void shard.start();
}
