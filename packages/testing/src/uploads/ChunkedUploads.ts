import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EmulatorError } from '../EmulatorError.js';
import type { IdFactory } from '../util/ids.js';
import { DAY_MS } from '../util/time.js';
import { servePart, type PartRequestRecord } from './partEndpoint.js';
import { type CompletionFailure, type PartFailure, UploadFaults } from './UploadFaults.js';
import { partCountOf } from './uploadLimits.js';
import { UploadQuota, type UploadQuotaSnapshot } from './UploadQuota.js';
import type { StoredPart, UploadSession } from './UploadSession.js';

export type { CompletionFailure, PartFailure } from './UploadFaults.js';

/** Where the emulator's storage host takes part PUTs: `PUT /_storage/parts/{upload_id}/{index}`. */
export const PART_PATH = '/_storage/parts';

/** How chunked uploads behave; see {@link ChunkedUploads.configure}. */
export interface ChunkedUploadSettings {
  /** Bytes per part (default 4 MiB). */
  blockSize: number;
  /** `concurrency` the `upload_prepare` answer offers (default 3). */
  concurrency: number;
  /** How long part URLs stay valid, in ms (default 1 hour). */
  urlTtl: number;
  /** `retry_timeout` the answer states, in seconds (default 60). */
  retryTimeout: number;
  /**
   * Chunked uploads allowed per quota period before `upload_prepare` answers 40093002 (default
   * unlimited). Named for the platform's daily allowance; the period is
   * {@link ChunkedUploadSettings.quotaPeriodMs}, a day unless set otherwise.
   */
  dailyQuota: number;
  /**
   * Length of a quota period in ms (default 24 h), counted from the emulator's start: the count
   * of `dailyQuota` starts again from 0 at each period's end (see {@link UploadQuota}). A setting,
   * unlike the quota's `resetAfter`, which is the time left in the current period.
   */
  quotaPeriodMs: number;
}

/**
 * The settings {@link ChunkedUploads.configure} changes: any of them, `undefined` keeping one, and
 * `dailyQuota: null` meaning no quota (as in the control API).
 */
export type ChunkedUploadChanges = {
  [K in Exclude<keyof ChunkedUploadSettings, 'dailyQuota'>]?: ChunkedUploadSettings[K] | undefined;
} & { dailyQuota?: number | null | undefined };

/** Uploads held between `upload_prepare` and completion, at most. */
const MAX_SESSIONS = 1000;
/** Part PUTs remembered in {@link ChunkedUploads.partRequests}. */
const MAX_RECORDS = 10_000;
/** Part bytes held across open uploads; past it the oldest uploads are dropped. */
const MAX_HELD_BYTES = 512 * 1024 * 1024;

/**
 * The chunked media upload (docs/protocol.md §8.8): upload sessions, the presigned part URLs the
 * emulator serves itself (signed with a key of this emulator, expiring), and faults to test a
 * client's retries and abort. Reached as `emulator.uploads`.
 */
export class ChunkedUploads {
  readonly #key = randomBytes(32);
  readonly #sessions = new Map<string, UploadSession>();
  readonly #ids: IdFactory;
  readonly #baseUrl: () => string;
  #settings: ChunkedUploadSettings = {
    blockSize: 4 * 1024 * 1024,
    concurrency: 3,
    urlTtl: 3_600_000,
    retryTimeout: 60,
    dailyQuota: Infinity,
    quotaPeriodMs: DAY_MS,
  };
  readonly #quota = new UploadQuota(() => this.#settings);
  readonly #faults = new UploadFaults();
  #holds = new Set<() => void>();
  #held: Promise<void> | undefined;
  /** Uploads prepared since the start, in all periods: each upload's serial number. */
  #prepared = 0;
  #heldBytes = 0;
  readonly #records: PartRequestRecord[] = [];
  #inFlight = 0;
  #peakInFlight = 0;

  /** @internal wired by the emulator */
  constructor(ids: IdFactory, baseUrl: () => string) {
    this.#ids = ids;
    this.#baseUrl = baseUrl;
  }

  /**
   * Changes block size, offered concurrency, URL lifetime, `retry_timeout`, the daily quota or
   * its period. A new quota or period applies to the current period at once. `dailyQuota: null`
   * (or `Infinity`) lifts the quota, as `"dailyQuota": null` does in the control API.
   *
   * @throws {@link EmulatorError} for a setting that is not a positive integer (`Infinity` allowed
   * but for `quotaPeriodMs`)
   */
  configure(settings: ChunkedUploadChanges): void {
    const next = { ...this.#settings };
    // Per setting: an explicit `undefined` keeps the setting, as leaving it out does.
    for (const [name, value] of Object.entries(settings)) {
      if (name === 'dailyQuota' && value === null) next.dailyQuota = Infinity;
      else if (value !== undefined) next[name as keyof ChunkedUploadSettings] = value as number;
    }
    for (const [name, value] of Object.entries(next)) {
      if (!(typeof value === 'number' && value > 0 && (Number.isInteger(value) || value === Infinity)))
        throw new EmulatorError(`uploads.${name} must be a positive integer, got ${String(value)}`);
    }
    if (!Number.isFinite(next.quotaPeriodMs))
      throw new EmulatorError(`uploads.quotaPeriodMs must be finite, got ${next.quotaPeriodMs}`);
    this.#settings = next;
  }

  /** The current settings. */
  get settings(): Readonly<ChunkedUploadSettings> {
    return this.#settings;
  }

  /** The daily quota now: limit, uploads prepared this period, and time to its reset. */
  get quota(): UploadQuotaSnapshot {
    return this.#quota.snapshot();
  }

  /**
   * Arms part PUT failures: the next `times` PUTs (of part `index`, if given) of uploads prepared
   * from now on answer `status`. PUTs of older uploads (late ones of an aborted upload) pass by.
   */
  failParts(failure: PartFailure = {}): void {
    this.#faults.failParts(failure, this.#prepared);
  }

  /**
   * Arms a fault of the completing `files` call (with `upload_id`): the next `times` completions
   * answer `status`, having completed the upload first when `landed` is set.
   */
  failCompletion(failure: CompletionFailure = {}): void {
    this.#faults.failCompletion(failure);
  }

  /** @internal Consumes one armed completion fault, if any. */
  takeCompletionFailure(): { status: number; landed: boolean } | undefined {
    return this.#faults.takeCompletion();
  }

  /** The next `times` `upload_part_finish` calls answer 40093001 (not ready yet). */
  delayPartReady(times = 1): void {
    this.#faults.delayPartReady(times);
  }

  /**
   * Holds every part PUT, after its body is read, until the returned function is called (or the
   * emulator stops): a test can abort an upload with parts in flight.
   */
  holdParts(): () => void {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const releaseOnce = (): void => {
      this.#holds.delete(releaseOnce);
      if (this.#holds.size === 0) this.#held = undefined;
      release();
    };
    this.#holds.add(releaseOnce);
    const previous = this.#held;
    this.#held = previous === undefined ? held : Promise.all([previous, held]).then(() => undefined);
    return releaseOnce;
  }

  /** Every part PUT received (the last 10,000), in arrival order. */
  get partRequests(): readonly PartRequestRecord[] {
    return this.#records;
  }

  /** Part PUTs being received or held right now. */
  get inFlightParts(): number {
    return this.#inFlight;
  }

  /** The most part PUTs that were in flight at once (since start or the last `reset`). */
  get peakInFlightParts(): number {
    return this.#peakInFlight;
  }

  /** Uploads prepared and not yet completed. */
  get openUploads(): number {
    return this.#sessions.size;
  }

  /**
   * Disarms the armed upload faults (part PUT failures, completion faults, "not ready" answers)
   * and nothing else: measurements and held PUTs stay. `emu.faults.reset()` and
   * `POST /__emulator/faults/reset` call it.
   */
  disarmFaults(): void {
    this.#faults.reset();
  }

  /**
   * Starts the uploads' test state over: disarms the faults, releases held PUTs and sets
   * {@link ChunkedUploads.peakInFlightParts} back to 0 (to measure one upload). `stop()` calls it.
   */
  reset(): void {
    this.disarmFaults();
    this.#peakInFlight = 0;
    for (const release of [...this.#holds]) release();
  }

  /**
   * @internal Opens an upload session, or refuses it once the period's quota is used.
   *
   * @throws `RestError` 400 from {@link partCountOf}, before the quota (a refused plan does not count)
   */
  open(
    session: Omit<
      UploadSession,
      'uploadId' | 'urlsExpireAt' | 'parts' | 'blockSize' | 'partCount' | 'firstIndex' | 'serial'
    >,
  ):
    | {
        session: UploadSession;
        urls: string[];
      }
    | undefined {
    const blockSize = this.#settings.blockSize;
    const partCount = partCountOf(session.fileSize, blockSize);
    if (!this.#quota.tryTake()) return undefined;
    this.#prepared++;
    const created: UploadSession = {
      ...session,
      uploadId: this.#ids.opaque(),
      blockSize,
      firstIndex: 1,
      partCount,
      urlsExpireAt: Date.now() + this.#settings.urlTtl,
      parts: new Map(),
      serial: this.#prepared,
    };
    this.#sessions.set(created.uploadId, created);
    // Oldest first: an abandoned upload is the first to go.
    while (this.#sessions.size > MAX_SESSIONS) this.#dropOldest();
    const urls = Array.from({ length: created.partCount }, (_, position) =>
      this.#partUrl(created, position + 1),
    );
    return { session: created, urls };
  }

  /** @internal An open upload by id. */
  session(uploadId: string): UploadSession | undefined {
    return this.#sessions.get(uploadId);
  }

  /** @internal Forgets a completed upload, and the part bytes it held. */
  close(uploadId: string): void {
    const session = this.#sessions.get(uploadId);
    if (session === undefined) return;
    for (const part of session.parts.values()) this.#heldBytes -= part.bytes.length;
    this.#sessions.delete(uploadId);
  }

  #dropOldest(): void {
    const oldest = this.#sessions.keys().next().value;
    if (oldest !== undefined) this.close(oldest);
  }

  #store(session: UploadSession, index: number, part: StoredPart): void {
    this.#heldBytes += part.bytes.length - (session.parts.get(index)?.bytes.length ?? 0);
    session.parts.set(index, part);
    // Abandoned uploads go first when the held bytes grow past the bound.
    while (this.#heldBytes > MAX_HELD_BYTES && this.#sessions.size > 1) this.#dropOldest();
  }

  /** @internal Consumes one "not ready" answer of `upload_part_finish`, if armed. */
  takeNotReady(): boolean {
    return this.#faults.takeNotReady();
  }

  /** @internal Answers a part PUT. */
  async handlePart(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    this.#inFlight++;
    this.#peakInFlight = Math.max(this.#peakInFlight, this.#inFlight);
    try {
      const record = await servePart(req, res, url, {
        verify: (uploadId, index, expires, signature) => this.#verify(uploadId, index, expires, signature),
        session: (uploadId) => this.#sessions.get(uploadId),
        takeFailure: (session, index) => this.#faults.takePart(session.serial, index),
        held: () => this.#held,
        store: (session, index, part) => this.#store(session, index, part),
      });
      this.#records.push(record);
      if (this.#records.length > MAX_RECORDS) this.#records.shift();
    } finally {
      this.#inFlight--;
    }
  }

  #partUrl(session: UploadSession, index: number): string {
    const expires = session.urlsExpireAt;
    const signature = this.#sign(session.uploadId, index, expires);
    return `${this.#baseUrl()}${PART_PATH}/${session.uploadId}/${index}?expires=${expires}&signature=${signature}`;
  }

  #sign(uploadId: string, index: number, expires: number): string {
    return createHmac('sha256', this.#key).update(`${uploadId}/${index}/${expires}`).digest('hex');
  }

  #verify(uploadId: string, index: number, expires: number, signature: string): 'ok' | 'bad' | 'expired' {
    const expected = Buffer.from(this.#sign(uploadId, index, expires), 'hex');
    const given = Buffer.from(signature, 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'bad';
    return Date.now() > expires ? 'expired' : 'ok';
  }
}
