import { type BotLogger, childLogger } from '@bot/core';
import type { FromWorker } from './messages.js';
import { MAX_LOG_NAMES } from './fromWorkerCheck.js';

/** Log lines taken from a thread before they are acknowledged, so it may send more. */
const LOG_ACK_EVERY = 64;

/**
 * The log lines a worker thread forwards, printed on the main thread under the manager's logger
 * (one sub-logger per name the thread logs under, at most {@link MAX_LOG_NAMES}), and counted so
 * the thread is told every {@link LOG_ACK_EVERY} lines that it may send more.
 */
export class ThreadLogLines {
  readonly #manager: () => BotLogger;
  readonly #loggers = new Map<string, BotLogger>();
  #taken = 0;

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
   * @returns whether enough lines were taken to acknowledge them
   */
  public print(line: Extract<FromWorker, { type: 'log' }>): boolean {
    const logger = this.#logger(line.name);
    if (line.dropped !== undefined) {
      logger.warn(`${line.dropped} log line(s) of the thread were dropped while this thread was busy`);
    }
    logger.log(line.level, line.levelName, ...line.args);
    this.#taken += 1;
    return this.#taken >= LOG_ACK_EVERY;
  }

  /** Lines taken since the last call (a new thread starts from 0). */
  public takeCount(): number {
    const taken = this.#taken;
    this.#taken = 0;
    return taken;
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
