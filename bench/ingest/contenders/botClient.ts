/**
 * The whole path of this project: shard → client dispatcher → model → a handler method, as a
 * plain function or as an `async` one (as most bots write them: every event then waits for the
 * promise each method returns before the next handler, or the event's end, is reached).
 */
import { Client, Intents, Token, createLogger, type HandlerResult } from '@bot/client';
import { handlerCalling } from './handlerCalling.js';
import { APP_ID, SECRET, type IngestProbe } from './wiring.js';

async function startClient({ job, ready }: IngestProbe, method: () => HandlerResult): Promise<void> {
  const client = await Client.builder(
    new Token(APP_ID, SECRET),
    Intents.default().withGroupAndC2cEvent().withInteraction(),
  )
    .baseUrl(job.restUrl, job.tokenUrl)
    .eventHandler(handlerCalling(method, ready))
    // Above every tslog level: prints nothing.
    .logger(createLogger('bench', 7));
  void client.start();
}

/** Handler methods are plain functions. */
export function connect(probe: IngestProbe): Promise<void> {
  return startClient(probe, probe.count);
}

/** Handler methods are `async` functions. */
export function connectAsync(probe: IngestProbe): Promise<void> {
  const count = probe.count;
  return startClient(probe, async (): Promise<void> => count());
}
