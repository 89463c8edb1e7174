/** The transport alone: one `Shard` of `@bot/gateway` and its `dispatch` event, no client on top. */
import { InMemoryIdentifyQueue, Intents, Shard } from '@bot/gateway';
import { fetchAccessToken } from './rawAccessToken.js';
import type { IngestProbe } from './wiring.js';

/** Starts one shard, its token fetched as the bare contender fetches it, and counts its dispatches. */
export function connect({ job, count, ready }: IngestProbe): void {
  let token: Promise<string> | undefined;
  const shard = new Shard({
    id: 0,
    total: 1,
    intents: Intents.default().withGroupAndC2cEvent().withInteraction().bits,
    gatewayUrl: job.gatewayUrl,
    tokens: { get: () => (token ??= fetchAccessToken(job.tokenUrl)), invalidate: () => undefined },
    identifyQueue: new InMemoryIdentifyQueue({
      maxConcurrency: 1,
      total: 1000,
      remaining: 1000,
      resetAfterMs: 86_400_000,
    }),
    // The default logger (info and up) prints nothing while the stream runs. Not importing
    // `@bot/http` for a silent one keeps the REST package out of the Shard's startup.
  });
  shard.on('dispatch', (payload) => (payload.t === 'READY' ? ready() : count()));
  void shard.start();
}
