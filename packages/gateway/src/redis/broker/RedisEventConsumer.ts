import type { Redis } from 'ioredis';
import {
  childLogger,
  createLogger,
  messageOf,
  msUntil,
  requireDuration,
  requireInteger,
  sleepUnlessAborted,
  steadyNow,
  ValidationError,
  waitAtMost,
  type BotLogger,
} from '@bot/core';
import { Backoff } from '../../shard/Backoff.js';
import type { DispatchSink, EventSource, SourceErrorReporter } from '../../transport/EventSource.js';
import { RedisKeys } from '../RedisKeys.js';
import { RedisOperationError } from '../RedisOperationError.js';
import { ConsumerGroup } from './RedisEventConsumerGroup.js';
import { handleEntry } from './RedisEventConsumerHandling.js';
import { InFlightEntries } from './RedisEventConsumerInFlight.js';
import {
  DEFAULT_CLAIM_IDLE_MS,
  DEFAULT_FORGET_CONSUMERS_IDLE_MS,
  DEFAULT_MAX_DELIVERIES,
  defaultConsumerName,
  requireName,
  requireNonNegative,
  requirePositive,
  type ConsumerStopOptions,
  type RedisEventConsumerOptions,
} from './RedisEventConsumerOptions.js';
import { RedisEventConsumerReader } from './RedisEventConsumerReader.js';
import type { StreamEntry } from './streamEntry.js';
import { UnfinishedEventsError } from './UnfinishedEventsError.js';

/**
 * The consuming side of the event broker, as an {@link EventSource} a client starts from
 * (`client.startFrom(consumer)`): reads the stream through a consumer group, hands each event to
 * the sink (with the bot's shard count, when the publisher knew it), and acknowledges each event
 * as soon as the sink has resolved for it (every handler finished). At most `batchSize` events
 * are handled at once; a slow one holds its own slot only.
 *
 * Claim policy: a worker's name is stable across restarts (the host name, or `<host>-<ordinal>`),
 * and a restarted worker first handles the entries it had read but not acknowledged. While an
 * event is being handled its worker renews it every `claimIdleMs / 3`; an entry nobody renewed for
 * `claimIdleMs` (5 s) belongs to a dead worker, and the first worker to look (every
 * `claimIntervalMs`) takes it over: within 7.5 s of a crash by default. Consumers of the group
 * idle for `forgetConsumersIdleMs` with nothing pending are deleted. An event is handled twice
 * only when its worker died (or stalled for `claimIdleMs`) before acknowledging it. An entry
 * delivered more than `maxDeliveries` times (5) is moved to the dead-letter stream, acknowledged
 * and reported (`UndeliverableEventError`): one event no handler finishes never holds the stream.
 *
 * Blocking reads use a connection of their own (a duplicate of the given client). While Redis is
 * away, reads are retried with back-off and each failure goes to the reporter; a stream key that
 * is not a stream ends `start` with an error.
 */
export class RedisEventConsumer implements EventSource {
  readonly #keys: RedisKeys;
  readonly #consumer: string;
  readonly #blockMs: number;
  readonly #claimIdleMs: number;
  readonly #claimIntervalMs: number;
  readonly #backoff: Backoff;
  readonly #log: BotLogger;
  readonly #inFlight: InFlightEntries;
  readonly #membership: ConsumerGroup;
  readonly #reader: RedisEventConsumerReader;
  #running: Promise<void> | undefined;
  #renewal: NodeJS.Timeout | undefined;
  #stopping = false;
  #wake = new AbortController();
  #report: SourceErrorReporter | undefined;

  /**
   * @param redis - a connected client (duplicated for blocking reads)
   * @param options - namespace, group, names and timings
   * @throws {@link ValidationError} for empty names, a bad ordinal, or a timing that is not positive
   *   or longer than Node's timers hold (2^31-1 ms)
   */
  public constructor(redis: Redis, options: RedisEventConsumerOptions) {
    this.#keys = new RedisKeys(options);
    const group = requireName('group', options.group ?? 'workers');
    this.#consumer = requireName('consumer', options.consumer ?? defaultConsumerName(options.ordinal));
    this.#inFlight = new InFlightEntries(requirePositive('batchSize', options.batchSize ?? 50));
    this.#blockMs = durationOption('blockMs', options.blockMs ?? 2_000);
    this.#claimIdleMs = durationOption('claimIdleMs', options.claimIdleMs ?? DEFAULT_CLAIM_IDLE_MS);
    this.#claimIntervalMs = durationOption(
      'claimIntervalMs',
      options.claimIntervalMs ?? this.#claimIdleMs / 2,
    );
    const readTimeoutMs = durationOption('readTimeoutMs', options.readTimeoutMs ?? 5_000);
    this.#reader = new RedisEventConsumerReader({
      redis,
      stream: this.#keys.events,
      group,
      consumer: this.#consumer,
      readTimeoutMs,
      stopping: () => this.#stopping,
    });
    this.#backoff = new Backoff({
      baseMs: durationOption('backoff.baseMs', options.backoff?.baseMs ?? 500),
      maxMs: durationOption('backoff.maxMs', options.backoff?.maxMs ?? 30_000),
    });
    this.#log = childLogger(options.logger ?? createLogger('gateway'), 'redis-consumer');
    this.#membership = new ConsumerGroup({
      redis,
      keys: this.#keys,
      group,
      consumer: this.#consumer,
      groupStart: options.groupStart === 'end' ? '$' : '0',
      claimIdleMs: this.#claimIdleMs,
      forgetIdleMs: requireNonNegative(
        'forgetConsumersIdleMs',
        options.forgetConsumersIdleMs ?? DEFAULT_FORGET_CONSUMERS_IDLE_MS,
      ),
      maxDeliveries: requireInteger(options.maxDeliveries ?? DEFAULT_MAX_DELIVERIES, 'maxDeliveries', 0),
      commandTimeoutMs: readTimeoutMs,
      log: this.#log,
    });
  }

  /** This worker's name in the consumer group. */
  public get consumer(): string {
    return this.#consumer;
  }

  /** {@inheritDoc EventSource.start} */
  public start(sink: DispatchSink, report?: SourceErrorReporter): Promise<void> {
    if (this.#running !== undefined) {
      return Promise.reject(new ValidationError('start', 'was called on a consumer that is already running'));
    }
    this.#stopping = false;
    this.#wake = new AbortController();
    const reportTo = report ?? ((error: Error) => this.#log.error(error.message));
    this.#report = reportTo;
    // Renewing what is being handled keeps it from looking abandoned to the other workers.
    this.#renewal = setInterval(
      () => void this.#membership.renew(this.#inFlight.ids(), reportTo),
      this.#claimIdleMs / 3,
    );
    this.#running = this.#run(sink, reportTo)
      .finally(() => this.#inFlight.drained())
      .finally(() => {
        clearInterval(this.#renewal);
        this.#renewal = undefined;
        this.#reader.disconnect();
        this.#running = undefined;
      });
    return this.#running;
  }

  /**
   * Stops reading, and waits for the events being handled to finish and be acknowledged, for
   * `graceMs` at most. Events still being handled then are left pending in the group (another
   * worker takes them over after `claimIdleMs`), their renewal stops, and they are reported as an
   * {@link UnfinishedEventsError} naming their entries, to the reporter given to `start`. It then
   * waits for the read loop to end (at once, or within `readTimeoutMs` when a command of the loop
   * is under way): once it resolves, the consumer may be started again.
   *
   * @param options - `graceMs`: how long handlers may take to finish (`claimIdleMs` by default)
   * @throws {@link ValidationError} (as a rejection) for a `graceMs` Node's timers cannot hold
   */
  public async stop(options: ConsumerStopOptions = {}): Promise<void> {
    const graceMs = requireDuration(options.graceMs ?? this.#claimIdleMs, 'graceMs');
    this.#stopping = true;
    this.#wake.abort();
    // Cuts a blocking read short; entries being handled finish and are acknowledged first.
    this.#reader.disconnect();
    const running = this.#running;
    if (running === undefined) return;
    await waitAtMost(running, graceMs);
    if (this.#running !== running) return;
    const left = this.#inFlight.abandon();
    clearInterval(this.#renewal);
    this.#renewal = undefined;
    if (left.length > 0) this.#report?.(new UnfinishedEventsError(left, graceMs));
    // Nothing is handled any more, so the loop ends now (a command under way: within readTimeoutMs);
    // until it has, the consumer still counts as running and a start() would be refused. Its
    // failure is start()'s to report.
    await running.catch(() => undefined);
  }

  async #run(sink: DispatchSink, report: SourceErrorReporter): Promise<void> {
    let groupReady = false;
    let ownPendingDone = false;
    /** When to look for abandoned entries next, on the steady clock. */
    let nextClaimAt = Number.NEGATIVE_INFINITY;
    let renewFirst = false;
    while (!this.#stopping) {
      try {
        if (!groupReady) {
          await this.#membership.create();
          groupReady = true;
        }
        if (renewFirst) {
          // Renewals failed while Redis was away, so what is being handled here looks abandoned:
          // renew it, and look for abandoned entries only once a renewal had time to reach them all.
          await this.#membership.renew(this.#inFlight.ids(), report);
          nextClaimAt = Math.max(nextClaimAt, steadyNow() + this.#claimIdleMs);
          renewFirst = false;
        }
        if (!ownPendingDone) ownPendingDone = await this.#deliverOwnPending(sink, report);
        if (steadyNow() >= nextClaimAt) {
          await this.#claimAbandoned(sink, report);
          await this.#membership.forgetIdleConsumers();
          nextClaimAt = steadyNow() + this.#claimIntervalMs;
        }
        await this.#inFlight.whenFree(msUntil(nextClaimAt), this.#wake.signal);
        const free = this.#inFlight.free;
        if (free === 0) continue;
        // msUntil gives whole milliseconds, as BLOCK must be: Redis refuses a fraction.
        const blockMs = Math.max(1, Math.min(this.#blockMs, msUntil(nextClaimAt)));
        this.#deliver(await this.#reader.readNew(free, blockMs), sink, report);
        this.#backoff.reset();
      } catch (error) {
        if (this.#stopping) break;
        renewFirst = true;
        const message = messageOf(error);
        if (message.startsWith('WRONGTYPE')) {
          throw new RedisOperationError(`read events: ${this.#keys.events} is not a stream`, undefined, {
            cause: error,
          });
        }
        // The group (or the whole stream) was deleted: create it again on the next round.
        if (message.startsWith('NOGROUP')) groupReady = false;
        report(
          new RedisOperationError('read events from the stream (retrying)', undefined, { cause: error }),
        );
        await sleepUnlessAborted(Math.max(this.#backoff.next(), 100), this.#wake.signal);
      }
    }
  }

  /** Delivers entries this consumer read in a previous life but never acknowledged; true when none are left. */
  async #deliverOwnPending(sink: DispatchSink, report: SourceErrorReporter): Promise<boolean> {
    let after = '0';
    while (!this.#stopping) {
      await this.#inFlight.whenFree(this.#claimIntervalMs, this.#wake.signal);
      const free = this.#inFlight.free;
      if (free === 0) continue;
      const entries = await this.#reader.readOwnPending(free, after);
      if (entries.length === 0) return true;
      const trimmed = entries.filter((entry) => entry.trimmed === true);
      if (trimmed.length > 0)
        await this.#membership.forgetTrimmed(
          trimmed.map((entry) => entry.id),
          report,
        );
      const readable = trimmed.length > 0 ? entries.filter((entry) => entry.trimmed !== true) : entries;
      this.#deliver(await this.#membership.bury(readable, report), sink, report);
      after = entries.at(-1)?.id ?? after;
    }
    return false;
  }

  /** Takes over entries nobody renewed for `claimIdleMs` (their worker died), as many as slots are free. */
  async #claimAbandoned(sink: DispatchSink, report: SourceErrorReporter): Promise<void> {
    let cursor = '0-0';
    do {
      const free = this.#inFlight.free;
      if (free === 0) return;
      const claimed = await this.#membership.claim(cursor, free, report);
      this.#deliver(await this.#membership.bury(claimed.entries, report), sink, report);
      cursor = claimed.cursor;
    } while (cursor !== '0-0' && !this.#stopping);
  }

  /**
   * Starts handling each entry; each is acknowledged on its own once its sink call resolves. An
   * entry being handled here already (taken over from ourselves after renewals failed) is skipped.
   */
  #deliver(entries: StreamEntry[], sink: DispatchSink, report: SourceErrorReporter): void {
    for (const entry of entries) {
      if (this.#inFlight.has(entry.id)) continue;
      this.#inFlight.add(entry.id);
      // A handling given up on by stop() leaves its entry pending, for another worker.
      const generation = this.#inFlight.generation;
      const current = (): boolean => generation === this.#inFlight.generation;
      void handleEntry(entry, sink, report, this.#claimIdleMs, (parked, letter) =>
        this.#membership.park(parked, letter),
      )
        .then((handled) =>
          handled && current() ? this.#membership.acknowledge(entry.id, report) : undefined,
        )
        .finally(() => {
          if (current()) this.#inFlight.delete(entry.id);
        });
    }
  }
}

/** A consumer timing in milliseconds, rounded up: Redis takes whole milliseconds. */
function durationOption(field: string, value: number): number {
  return Math.ceil(requireDuration(value, field));
}
