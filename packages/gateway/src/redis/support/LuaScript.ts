import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * A Lua script run atomically on the server. The first call on a client sends the source with
 * EVAL (the server caches it); later calls send only its SHA-1 with EVALSHA, falling back to EVAL
 * once if the server has forgotten it (after a restart or `SCRIPT FLUSH`). The first call is EVAL,
 * not a SCRIPT LOAD round trip, so commands stay in the order they were issued.
 */
export class LuaScript {
  /** SHA-1 of the source, as EVALSHA names it. */
  public readonly sha: string;
  readonly #source: string;
  readonly #loadedOn = new WeakSet<Redis>();

  /** @param source - the script; keys in `KEYS`, the rest in `ARGV` */
  public constructor(source: string) {
    this.#source = source;
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  /**
   * Runs the script.
   *
   * @param redis - the connection to run it on
   * @param keys - keys it touches (all of one hash tag)
   * @param args - its arguments
   * @returns the script's reply
   */
  public async run(
    redis: Redis,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<unknown> {
    if (!this.#loadedOn.has(redis)) {
      const reply = await redis.eval(this.#source, keys.length, ...keys, ...args);
      this.#loadedOn.add(redis);
      return reply;
    }
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.#source, keys.length, ...keys, ...args);
    }
  }
}
