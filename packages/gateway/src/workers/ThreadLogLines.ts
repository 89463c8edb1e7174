import { type BotLogger, childLogger } from '@bot/core';
import type { FromWorker } from './messages.js';
import { MAX_LOG_NAMES } from './fromWorkerCheck.js';

/** Log lines taken from a thread before they are acknowledged, so it may send more. */
const LOG_ACK_EVERY = 64;

/**
 * The log lines a `ShardWorker`'s threads forward, printed on the main thread under the manager's
 * logger (one sub-logger per name the threads log under, at most {@link MAX_LOG_NAMES}), and
 * counted per thread, so each is told every {@link LOG_ACK_EVERY} of its lines that it may send
 * more (a thread still stopping and the one started after it count apart).
 */
export class ThreadLogLines {
  readonly #manager: () => BotLogger;
  readonly #loggers = new Map<string, BotLogger>();
  /** Lines taken and not yet acknowledged, per thread (the thread's `Worker`). */
  readonly #taken = new Map<object, number>();

  /** @param manager - the manager's logger (read when first needed: the strategy binds it late) */
  public constructor(manager: () => BotLogger) {
    this.#manager = manager;
  }

  /** The logger of the thread's own lines (restarts, failures). */
  public get workers(): BotLogger {
    return this.#logger('workers');
  }

  /**
   * Prints one forwarded line.
   *
   * @param thread - the thread that sent it
   * @param line - the line
   * @returns whether enough lines of `thread` were taken to acknowledge them
   */
  public print(thread: object, line: Extract<FromWorker, { type: 'log' }>): boolean {
    const logger = this.#logger(line.name);
    if (line.dropped !== undefined) {
      logger.warn(`${line.dropped} log line(s) of the thread were dropped while this thread was busy`);
    }
    logger.log(line.level, line.levelName, ...line.args);
    const taken = (this.#taken.get(thread) ?? 0) + 1;
    this.#taken.set(thread, taken);
    return taken >= LOG_ACK_EVERY;
  }

  /** Lines of `thread` taken since the last call, to acknowledge. */
  public takeCount(thread: object): number {
    const taken = this.#taken.get(thread) ?? 0;
    this.#taken.delete(thread);
    return taken;
  }

  /** `thread` exited: its count is dropped. */
  public forget(thread: object): void {
    this.#taken.delete(thread);
  }

  #logger(name: string): BotLogger {
    let logger = this.#loggers.get(name);
    if (logger === undefined) {
      if (this.#loggers.size >= MAX_LOG_NAMES && name !== 'workers') return this.workers;
      logger = childLogger(this.#manager(), name);
      this.#loggers.set(name, logger);
    }
    return logger;
  }
}
