import { ValidationError, requireDeadlineOrInfinity, requireObject, requireOneOf } from '@bot/core';
import { resolveWaterMarks, type BackpressureOptions } from '../dispatch/Backpressure.js';
import { DEFAULT_DISPATCH_POLICY, concurrencyOf, type DispatchPolicy } from '../dispatch/DispatchPolicy.js';
import { DEFAULT_HANDLER_TIMEOUT_MS } from '../dispatch/handlerTimeout.js';
import type { ClientConfig } from './ClientConfig.js';
import { ReplySettings } from './replySettings.js';
import { requireShutdownDeadline } from './shutdown.js';

/** The modes of a {@link DispatchPolicy}. */
const DISPATCH_MODES: ReadonlyArray<DispatchPolicy['mode']> = ['sequential', 'concurrent'];

/** Default of {@link DispatchSettings.shutdownDeadline}: 10 s. */
export const DEFAULT_SHUTDOWN_DEADLINE_MS = 10_000;

/**
 * The builder steps of how a client runs the events it reads: the dispatch policy, the
 * back-pressure marks, how long a shard waits for an event's handlers, and how long `shutdown()`
 * leaves handlers to finish. `ClientBuilder`
 * inherits them, so they chain like every other step.
 */
export abstract class DispatchSettings extends ReplySettings {
  #dispatchPolicy: DispatchPolicy = DEFAULT_DISPATCH_POLICY;
  #backpressure: BackpressureOptions = {};
  #shutdownDeadlineMs = DEFAULT_SHUTDOWN_DEADLINE_MS;
  #handlerTimeoutMs = DEFAULT_HANDLER_TIMEOUT_MS;

  /** How each shard's events are run against handlers; see {@link DispatchPolicy}. */
  public dispatchPolicy(policy: DispatchPolicy): this {
    this.#dispatchPolicy = policy;
    return this;
  }

  /** The dispatch policy. */
  public getDispatchPolicy(): DispatchPolicy {
    return this.#dispatchPolicy;
  }

  /**
   * Bounds the events a shard holds in memory: once its lane holds `highWaterMark` parsed events
   * (running and waiting; 1,000 by default), the client stops reading that shard's socket, and
   * reads again once the lane is down to `lowWaterMark` (half by default). Heartbeats go on
   * meanwhile, and unread events wait on the platform's side. Webhook deliveries beyond the mark
   * are refused with 503, which the platform retries. Checked when the client is built.
   */
  public backpressure(options: BackpressureOptions): this {
    this.#backpressure = { ...options };
    return this;
  }

  /** The back-pressure options as set (empty: the defaults). */
  public getBackpressure(): BackpressureOptions {
    return this.#backpressure;
  }

  /**
   * How long a shard waits for the handlers of one event, in milliseconds; 60 s
   * ({@link DEFAULT_HANDLER_TIMEOUT_MS}) by default, `Infinity` for no limit. An event whose
   * handlers have not finished by then (a promise that never settles) stops holding its shard:
   * the shard's next events run, and `error()` receives a `HandlerTimeoutError` naming the event.
   * The handler runs on, unwaited, since nothing can stop it. Without a deadline, one such handler
   * under the `sequential` policy would hold its shard for good (and, through back-pressure, stop
   * it reading), telling no one. Checked when the client is built: a positive number of
   * milliseconds up to `MAX_TIMER_DELAY` (about 24.8 days), or `Infinity`.
   *
   * @example
   * ```ts
   * // Handlers that stream long answers: give them ten minutes.
   * const client = await Client.builder(token, intents).handlerTimeout(600_000).eventHandler(bot);
   * ```
   */
  public handlerTimeout(ms: number): this {
    this.#handlerTimeoutMs = ms;
    return this;
  }

  /** The handler deadline in milliseconds (`Infinity`: none). */
  public getHandlerTimeout(): number {
    return this.#handlerTimeoutMs;
  }

  /**
   * How long `shutdown()` lets handlers finish the events already read before it gives up on
   * them (reported to `error()` as one `AbandonedEventsError`), in milliseconds; 10 s by default.
   * `shutdown({ deadlineMs })` overrides it per call.
   */
  public shutdownDeadline(ms: number): this {
    this.#shutdownDeadlineMs = ms;
    return this;
  }

  /** The shutdown deadline in milliseconds. */
  public getShutdownDeadline(): number {
    return this.#shutdownDeadlineMs;
  }

  /**
   * The dispatch policy and the back-pressure marks of the client's configuration, checked.
   *
   * @throws {@link ValidationError} for a policy that is not an object, a `mode` other than
   *   `'sequential'` or `'concurrent'`, a concurrent policy whose `limit` is not a positive
   *   integer, for back-pressure marks out of range, or for a handler deadline that is neither a
   *   positive duration a timer can hold nor `Infinity`
   */
  protected dispatchConfig(): Pick<ClientConfig, 'dispatchPolicy' | 'backpressure' | 'handlerTimeoutMs'> {
    const policy = this.#dispatchPolicy;
    // From JS or a config file, a misspelt mode would otherwise run concurrently, out of order.
    requireOneOf(requireObject(policy, 'dispatchPolicy').mode, 'dispatchPolicy.mode', DISPATCH_MODES);
    if (
      policy.mode === 'concurrent' &&
      policy.limit !== undefined &&
      !(Number.isInteger(policy.limit) && policy.limit > 0)
    ) {
      throw new ValidationError('dispatchPolicy.limit', 'must be a positive integer');
    }
    return {
      dispatchPolicy: policy,
      backpressure: resolveWaterMarks(this.#backpressure, concurrencyOf(policy)),
      handlerTimeoutMs: requireDeadlineOrInfinity(this.#handlerTimeoutMs, 'handlerTimeout'),
    };
  }

  /**
   * The shutdown deadline of the client's configuration, checked.
   *
   * @throws {@link ValidationError} for a deadline that is not a whole number of milliseconds
   *   from 0 to `MAX_TIMER_DELAY`
   */
  protected shutdownConfig(): Pick<ClientConfig, 'shutdownDeadlineMs'> {
    return { shutdownDeadlineMs: requireShutdownDeadline(this.#shutdownDeadlineMs, 'shutdownDeadline') };
  }
}
