import { ValidationError } from '@bot/http';
import { Shard, type IdentifyQueue, type ShardManagerOptions, type TokenSource } from '@bot/gateway';

/**
 * What the gateway layer accepts from a bot, passed through to its `ShardManager` and every shard
 * as given: identify window, shutdown timeout of the sessions, fatal-close policy, timeouts,
 * reconnect back-off, outbound frame budget, largest frame, session-store flush delay,
 * authentication retries, close-code policy, wire protocol. Everything of `ShardManagerOptions`
 * but what the client wires itself (credentials, intents and their names, `/gateway/bot`, presence, logger, and
 * the identify queue and session store, which have builder steps of their own), so an option the
 * gateway adds is available here at once. The gateway's own documentation gives each default.
 */
export type GatewayOptions = Omit<
  ShardManagerOptions,
  'intents' | 'intentName' | 'tokens' | 'gateway' | 'presence' | 'logger' | 'identifyQueue' | 'sessionStore'
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
 * the option as `gateway.<name>`. The shard's own rules (timeouts, frame size, flush delay,
 * authentication retries, close codes) are applied by building a shard that never connects, so
 * they are written once, in the gateway; the numbers the gateway takes as given (back-off, frame
 * budget, identify window, shutdown timeout) are checked here.
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
  positive('gateway.backoff.baseMs', options.backoff?.baseMs);
  positive('gateway.backoff.maxMs', options.backoff?.maxMs);
  positive('gateway.backoff.stableAfterMs', options.backoff?.stableAfterMs);
  positive('gateway.sendLimit.windowMs', options.sendLimit?.windowMs);
  const { limit, reserved, maxQueued } = options.sendLimit ?? {};
  integer('gateway.sendLimit.limit', limit, 1);
  integer('gateway.sendLimit.maxQueued', maxQueued, 1);
  integer('gateway.sendLimit.reserved', reserved, 0, (limit ?? 60) - 1);
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

function integer(field: string, value: number | undefined, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && value >= min && value <= max))
    throw new ValidationError(field, `must be an integer from ${min} to ${max} (got ${String(value)})`);
}
