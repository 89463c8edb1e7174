import { childLogger, type BotLogger, type Intents } from '@bot/core';
import { FatalGatewayError } from '@bot/gateway';
import type { Context } from '../context/Context.js';
import { reportToHandlers } from '../dispatch/handlerHooks.js';
import { toClientError, type ClientError } from '../errors/ClientError.js';
import type { EventHandler } from '../events/EventHandler.js';
import { uncoveredIntentsWarning } from '../events/intentCoverage.js';
import { misnamedMethodsWarning } from '../events/misnamedMethods.js';
import { inClientTerms } from './startMisuse.js';

/**
 * What a client says about its `start*` calls, all under the `start` logger when no handler has
 * an `error()`: handler methods spelt almost like event methods (once, when the client is built),
 * the handler methods its intents leave without events (once, on the first gateway start), and
 * the failures that end a call — a wrong secret or an unreachable host, which only the
 * call carries, and a fatal close, which its shard reports first and the call does not repeat.
 */
export class StartReports {
  readonly #handlers: readonly EventHandler[];
  readonly #log: BotLogger;
  /** Errors shards have reported to `error()`, so a `start*` rejecting with one does not repeat it. */
  readonly #reported = new WeakSet<Error>();
  /** Handler methods the intents leave without events, until the first gateway start says so. */
  #intentWarning: string | undefined;

  /**
   * @param handlers - the typed handlers, in registration order
   * @param intents - the intents the shards identify with
   * @param logger - the client's logger
   */
  public constructor(handlers: readonly EventHandler[], intents: Intents, logger: BotLogger) {
    this.#handlers = handlers;
    this.#log = childLogger(logger, 'start');
    this.#intentWarning = uncoveredIntentsWarning(handlers, intents);
    const misnamed = misnamedMethodsWarning(handlers);
    if (misnamed !== undefined) this.#log.warn(misnamed);
  }

  /** A gateway start begins: warns of handler methods the intents leave without events, once. */
  public gatewayStarting(): void {
    if (this.#intentWarning !== undefined) this.#log.warn(this.#intentWarning);
    this.#intentWarning = undefined;
  }

  /**
   * A shard reported `error` to `error()`: the `start*` call it may end does not report it again.
   *
   * @param error - what the shard reported
   */
  public remember(error: Error): void {
    this.#reported.add(error);
  }

  /**
   * Whether a shard's `error` also ends the `start*` call (a fatal error): then it belongs with the
   * start failures, reported by {@link StartReports.report}.
   *
   * @param error - what the shard reported
   */
  public endsStart(error: Error): boolean {
    return error instanceof FatalGatewayError;
  }

  /**
   * Brings a failure that ends a `start*` call to `error()`, or logs it under `start`.
   *
   * @param failure - what went wrong
   * @param ctx - the context of the shard it concerns, when there is one
   */
  public report(failure: ClientError, ctx: Context | undefined): Promise<void> {
    return reportToHandlers(this.#handlers, this.#log, failure, ctx);
  }

  /**
   * A `start*` call failed: the failure in the client's terms, reported unless a shard did already.
   *
   * @param error - what the call rejected with
   * @returns the failure to reject the caller's call with
   */
  public async startFailed(error: unknown): Promise<ClientError> {
    const failure = toClientError(inClientTerms(error));
    if (!this.#reported.has(failure)) await this.report(failure, undefined);
    return failure;
  }
}
