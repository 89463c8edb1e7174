import { ValidationError } from '@bot/core';
import { Shard, type IdentifyQueue, type ShardManagerOptions, type TokenSource } from '@bot/gateway';

/**
 * What the gateway layer accepts from a bot, passed through to its `ShardManager` and every shard
 * as given: identify window, shutdown timeout of the sessions, fatal-close policy, timeouts,
 * reconnect back-off, outbound frame budget, largest frame, session-store flush delay,
 * authentication retries, close-code policy, wire protocol. Everything of `ShardManagerOptions`
 * but what the client wires itself (credentials, intents and their names, `/gateway/bot`, presence, logger,
 * the path of dispatches to its handlers, and the identify queue and session store, which have builder
 * steps of their own), so an option the
 * gateway adds is available here at once. The gateway's own documentation gives each default.
 */
export type GatewayOptions = Omit<
  ShardManagerOptions,
  | 'intents'
  | 'intentName'
  | 'tokens'
  | 'gateway'
  | 'presence'
  | 'logger'
  | 'identifyQueue'
  | 'sessionStore'
  | 'onDispatch'
>;

const FATAL_POLICIES: ReadonlySet<string> = new Set(['stopAll', 'keepHealthy']);

/** Never asked: a shard built only to validate options does not connect. */
const UNUSED_TOKENS: TokenSource = {
  get: () => Promise.reject(new Error('not connected')),
  invalidate: () => undefined,
};
const UNUSED_QUEUE: IdentifyQueue = { wait: () => Promise.reject(new Error('not connected')) };

/**
 * Checks gateway options when the client is built rather than when a shard first starts, naming
 * the option as `gateway.<name>`. The shard's own rules (timeouts, back-off, frame budget, frame
 * size, flush delay, authentication retries, close codes) are applied by building a shard that
 * never connects, so they are written once, in the gateway; the manager's numbers (identify
 * window, shutdown timeout) and the fatal-close policy are checked here.
 *
 * @param options - the options handed to `ClientBuilder.gateway`
 * @throws {@link ValidationError} naming the first wrong option
 */
export function checkGatewayOptions(options: GatewayOptions): void {
  if (typeof options !== 'object' || options === null)
    throw new ValidationError('gateway', `must be an object of gateway options (got ${String(options)})`);
  try {
    void new Shard({
      ...options,
      id: 0,
      total: 1,
      intents: 0,
      gatewayUrl: 'wss://gateway.invalid',
      tokens: UNUSED_TOKENS,
      identifyQueue: UNUSED_QUEUE,
    });
  } catch (error) {
    if (error instanceof ValidationError)
      throw new ValidationError(`gateway.${error.field}`, error.message.slice(error.field.length + 1));
    throw error;
  }
  positive('gateway.identifyWindowMs', options.identifyWindowMs);
  positive('gateway.shutdownTimeoutMs', options.shutdownTimeoutMs);
  if (options.onFatal !== undefined && !FATAL_POLICIES.has(options.onFatal)) {
    throw new ValidationError(
      'gateway.onFatal',
      `must be 'stopAll' or 'keepHealthy' (got ${JSON.stringify(options.onFatal)})`,
    );
  }
}

function positive(field: string, value: number | undefined): void {
  if (value !== undefined && !(typeof value === 'number' && value > 0 && Number.isFinite(value)))
    throw new ValidationError(field, `must be a positive number of milliseconds (got ${String(value)})`);
}
