import { ValidationError } from '@bot/core';
import { misuseWording, type StartCall } from '../manager/StartCall.js';

/**
 * How a `start*` call clashes with the shards a manager runs: it would start `shardId` again, or
 * run `requested` shards in all beside shards running with a count of `running`.
 */
export type StartClash =
  | { readonly kind: 'shardRunning'; readonly shardId: number }
  | { readonly kind: 'shardCount'; readonly running: number; readonly requested: number };

/**
 * A `start*` call refused because it clashes with the running shards (see {@link StartClash}).
 * Still a {@link ValidationError} (`kind` `'validation'`, `field` the argument as written, or the
 * call when no argument is at fault); `clash` says what clashed, so code built on a manager (a
 * client, a CLI) can advise its own API through {@link StartClashError.withRemedy} without
 * reading the message.
 */
export class StartClashError extends ValidationError {
  /** The call as written, e.g. `startShard(3, 5)`. */
  public readonly call: string;
  /** What clashed, as data. */
  public readonly clash: StartClash;
  /** What the message advises doing instead. */
  public readonly remedy: string;
  readonly #start: StartCall;
  readonly #argument: string | undefined;
  readonly #problem: string;

  /**
   * @param start - the call as written, with the caller's names for its arguments
   * @param argument - the caller's name of the argument at fault, `undefined` when none is
   * @param problem - what is wrong, as a phrase
   * @param remedy - what to do instead
   * @param clash - what clashed
   * @param options - `cause`: the error this one rewords, if any
   */
  public constructor(
    start: StartCall,
    argument: string | undefined,
    problem: string,
    remedy: string,
    clash: StartClash,
    options?: ErrorOptions,
  ) {
    super(...misuseWording(start, argument, problem, remedy));
    this.call = start.text;
    this.clash = clash;
    this.remedy = remedy;
    this.#start = start;
    this.#argument = argument;
    this.#problem = problem;
    // ValidationError takes no options: set `cause` the way Error's own constructor does.
    if (options !== undefined && 'cause' in options) {
      Object.defineProperty(this, 'cause', { value: options.cause, writable: true, configurable: true });
    }
  }

  /**
   * The same clash advising `remedy` instead, with this error as its `cause`.
   *
   * @param remedy - what to do instead, in the caller's terms
   */
  public withRemedy(remedy: string): StartClashError {
    return new StartClashError(this.#start, this.#argument, this.#problem, remedy, this.clash, {
      cause: this,
    });
  }
}
