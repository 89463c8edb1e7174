import { messageOf, type BotLogger } from '@bot/core';
import type { UploadPhase, UploadProgress } from './UploadMediaOptions.js';

/** Reports on the wire at most this often: every 0.5% of the file, and 256 KiB apart at least. */
const STEPS = 200;
const MIN_STEP = 256 * 1024;

/**
 * The progress of one upload, reported to the caller's callback: stored parts (`bytesDone`,
 * never going back) and bytes on the wire (`bytesSent`, including parts in flight), throttled
 * so a 100 MB file does not call back thousands of times. A callback that throws does not stop
 * the upload: its first throw is logged, the later ones of the same upload are not.
 */
export class ProgressTracker {
  readonly #onProgress: ((progress: UploadProgress) => void) | undefined;
  readonly #bytesTotal: number;
  readonly #step: number;
  readonly #log: BotLogger;
  /** Whether a throw of the callback was logged already. */
  #threw = false;
  /** Bytes each part in flight has sent in its current attempt. */
  readonly #inFlight = new Map<number, number>();
  #phase: UploadPhase = 'reading';
  #partsTotal = 0;
  #partsDone = 0;
  #bytesDone = 0;
  #lastSent = 0;

  /**
   * @param onProgress - the caller's callback, if any
   * @param bytesTotal - the file's size
   * @param log - where the callback's first throw is reported (the REST client's logger)
   */
  public constructor(
    onProgress: ((progress: UploadProgress) => void) | undefined,
    bytesTotal: number,
    log: BotLogger,
  ) {
    this.#onProgress = onProgress;
    this.#bytesTotal = bytesTotal;
    this.#log = log;
    this.#step = Math.max(MIN_STEP, Math.ceil(bytesTotal / STEPS));
  }

  /** The source is being read and hashed. */
  public reading(): void {
    this.#emit();
  }

  /** The bytes start going out, in `partsTotal` parts (1 for a one-call upload). */
  public uploading(partsTotal: number): void {
    this.#phase = 'uploading';
    this.#partsTotal = partsTotal;
    this.#emit();
  }

  /** Part `index` has `bytes` of its current attempt on the wire. */
  public partSent(index: number, bytes: number): void {
    if (this.#onProgress === undefined) return;
    this.#inFlight.set(index, bytes);
    if (Math.abs(this.#sent() - this.#lastSent) >= this.#step) this.#emit();
  }

  /** Part `index` of `length` bytes is stored. */
  public partDone(index: number, length: number): void {
    this.#inFlight.delete(index);
    this.#partsDone++;
    this.#bytesDone += length;
    this.#emit(index);
  }

  /** The upload is over: every byte is stored (or an earlier upload of them was reused). */
  public done(): void {
    this.#phase = 'done';
    this.#inFlight.clear();
    this.#partsTotal = Math.max(this.#partsTotal, 1);
    this.#partsDone = this.#partsTotal;
    this.#bytesDone = this.#bytesTotal;
    this.#emit();
  }

  #sent(): number {
    let sent = this.#bytesDone;
    for (const bytes of this.#inFlight.values()) sent += bytes;
    return sent;
  }

  #emit(partIndex?: number): void {
    if (this.#onProgress === undefined) return;
    this.#lastSent = this.#sent();
    const progress: UploadProgress = {
      phase: this.#phase,
      bytesDone: this.#bytesDone,
      bytesSent: this.#lastSent,
      bytesTotal: this.#bytesTotal,
      partsDone: this.#partsDone,
      partsTotal: this.#partsTotal,
    };
    if (partIndex !== undefined) progress.partIndex = partIndex;
    try {
      this.#onProgress(progress);
    } catch (error) {
      // The caller's drawing code is not the upload's concern; once is enough to point at it.
      if (!this.#threw)
        this.#log.error(
          'the onProgress callback of an upload threw (later throws of this upload are not logged): ' +
            messageOf(error),
        );
      this.#threw = true;
    }
  }
}
