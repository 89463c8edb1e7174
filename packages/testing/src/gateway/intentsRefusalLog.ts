import type { ILogObj, Logger } from 'tslog';
import { intentNames } from '../protocol/intents.js';
import type { IntentsRefusal } from './identifyAdmission.js';

/**
 * The emulator's own warning of an Identify refused for intents not granted. The bot hears what
 * the platform would say (a 4014 close, or op 9), which cannot name an option of the emulator;
 * this line does, since a bot started against `Emulator.start()` with its defaults is granted
 * only what a new bot is, and a group or one-to-one bot then stops for good. Told once per set of
 * missing intents in a row, so a bot that retries op 9 does not flood the log.
 */
export class IntentsRefusalLog {
  readonly #logger: Logger<ILogObj>;
  #lastMissing: number | undefined;

  /** @param logger - the emulator's logger */
  constructor(logger: Logger<ILogObj>) {
    this.#logger = logger;
  }

  /**
   * Logs a refusal at warn, unless the one before refused the same intents.
   *
   * @param refusal - the connection, the intents not granted and how they were refused
   * @param granted - the intents the emulator grants now
   */
  report(refusal: IntentsRefusal, granted: number): void {
    if (refusal.missing === this.#lastMissing) return;
    this.#lastMissing = refusal.missing;
    const how =
      refusal.answer === 'close' ? 'closed it with 4014' : 'answered op 9 (refuseDisallowedIntentsWith)';
    this.#logger.warn(
      `gateway #${refusal.connectionId}: an Identify asked for intents not granted, ${intentNames(refusal.missing)}, ` +
        `and the emulator ${how}, as the platform does. It grants ${intentNames(granted)}; grant more with ` +
        `Emulator.start({ grantedIntents: 'all' }) or the bits, emulator.setGrantedIntents(bits) for later ` +
        'Identifies, or qq-emulator --intents all',
    );
  }
}
