import { requireInteger, type MediaUploadResult } from '@bot/core';
import { type BothClocks, elapsedBetween, readBothClocks } from '../util/bothClocks.js';

/** Options of a {@link FileInfoCache}. */
export interface FileInfoCacheOptions {
  /**
   * Entries kept at most; the least recently used goes first.
   * @defaultValue 256
   */
  maxEntries?: number | undefined;
  /**
   * How long before the platform's expiry an entry is dropped, in milliseconds, so a `file_info`
   * handed out is still valid when the message carrying it arrives.
   * @defaultValue 60_000
   */
  margin?: number | undefined;
  /**
   * A clock in milliseconds, read instead of both default clocks; injectable for tests. Only the
   * time between readings counts.
   * @defaultValue the steady clock (`steadyNow`) and the wall clock (`Date.now()`) together: an
   * entry expires when either says its `ttl` (less the margin) has passed. The steady clock keeps
   * a wall clock stepped back (a time sync) from stretching an entry's life; the wall clock counts
   * the time the machine spent suspended or its VM paused, which the steady clock does not, and
   * which the platform counts. A wall clock stepped forward drops entries early: they are uploaded
   * again.
   */
  now?: (() => number) | undefined;
}

/** An upload kept for reuse: the platform's answer and, when known, how it was made. */
export interface CachedMedia extends MediaUploadResult {
  /** The way the `file_info` was obtained: `plain`, `chunked` or `url`. */
  method?: 'plain' | 'chunked' | 'url';
}

interface Entry {
  result: CachedMedia;
  /** When it was kept. */
  keptAt: BothClocks;
  /** Milliseconds after `keptAt` from which the entry is stale; `Infinity` for a `file_info` that does not expire. */
  staleAfter: number;
}

/**
 * Uploaded media by content and destination: a `file_info` can be sent again and again until its
 * `ttl` runs out (docs/protocol.md §8.7), so the same file to the same chat is uploaded once.
 * Bounded in entries, each dropped at its expiry (less a margin).
 */
export class FileInfoCache {
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;
  readonly #margin: number;
  readonly #read: () => BothClocks;

  /** @param options - size bound, expiry margin, clock */
  public constructor(options: FileInfoCacheOptions = {}) {
    this.#maxEntries = requireInteger(options.maxEntries ?? 256, 'maxEntries', 1);
    this.#margin = requireInteger(options.margin ?? 60_000, 'margin', 0);
    const { now } = options;
    this.#read =
      now === undefined
        ? readBothClocks
        : () => {
            const time = now();
            return { steady: time, wall: time };
          };
  }

  /** Entries held now (stale ones included until they are looked up or pushed out). */
  public get size(): number {
    return this.#entries.size;
  }

  /**
   * The upload stored under `key` with `ttl` set to the seconds it has left, or `undefined`
   * when there is none or it is about to expire.
   *
   * @param key - content hash, media type and destination
   */
  public get(key: string): CachedMedia | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    const age = elapsedBetween(entry.keptAt, this.#read());
    this.#entries.delete(key);
    if (age >= entry.staleAfter) return undefined;
    this.#entries.set(key, entry);
    const ttl =
      entry.staleAfter === Infinity ? 0 : Math.floor((entry.staleAfter + this.#margin - age) / 1000);
    return { ...entry.result, ttl };
  }

  /**
   * Keeps an upload until its `ttl` (less the margin) runs out; a `ttl` of 0 means it does not
   * expire. One too short-lived to outlast the margin is not kept.
   *
   * @param key - content hash, media type and destination
   * @param result - the platform's answer
   */
  public set(key: string, result: CachedMedia): void {
    const staleAfter = result.ttl > 0 ? result.ttl * 1000 - this.#margin : Infinity;
    if (staleAfter <= 0) return;
    this.#entries.delete(key);
    this.#entries.set(key, { result: { ...result }, keptAt: this.#read(), staleAfter });
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }

  /**
   * Forgets the entries holding `fileInfo`: the platform refused it (it may drop a `file_info`
   * before its `ttl`), so the next upload of the same bytes asks for a fresh one.
   *
   * @param fileInfo - the `file_info` refused
   * @returns whether an entry held it
   */
  public forget(fileInfo: string): boolean {
    let found = false;
    for (const [key, entry] of this.#entries)
      if (entry.result.file_info === fileInfo) found = this.#entries.delete(key) || found;
    return found;
  }

  /** Forgets every entry. */
  public clear(): void {
    this.#entries.clear();
  }
}
