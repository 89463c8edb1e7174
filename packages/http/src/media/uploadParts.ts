import { backoffDelay, onFirstAbort, sleep, steadyNow, type BackoffOptions, messageOf } from '@bot/core';
import { ApiError } from '../errors/ApiError.js';
import { ClientDestroyedError } from '../errors/ClientDestroyedError.js';
import { NetworkError } from '../errors/NetworkError.js';
import { RateLimitedError } from '../errors/RateLimitedError.js';
import { TimeoutError } from '../errors/TimeoutError.js';
import { readRange, type MediaContent } from './MediaContent.js';
import { causeMayHaveBeenSent, MediaUploadError } from './MediaUploadError.js';
import { PartPutFailure, putPart, type PartNetwork } from './putPart.js';
import { landedBy, type LandedRequest, sentBeforeStop, stoppedUpload } from './stoppedUpload.js';
import type { PartPlan } from './readUploadPlan.js';

/**
 * Code of `upload_part_finish` while the platform has not yet seen the stored part: asked
 * again every second until the answer's `retry_timeout` (docs/protocol.md §8.8).
 */
export const PART_NOT_READY_CODE = 40093001;
const NOT_READY_INTERVAL = 1000;
const DEFAULT_NOT_READY_PATIENCE = 120_000;

/** How {@link uploadParts} sends the parts. */
export interface PartUploadOptions {
  content: MediaContent;
  parts: readonly PartPlan[];
  /** Parts in flight at once. */
  concurrency: number;
  /** Reports a stored part to the platform (`upload_part_finish`). */
  finish: (part: PartPlan, md5: string, signal: AbortSignal) => Promise<void>;
  /** Called once per stored part, in the order they are stored. */
  onPartDone: (part: PartPlan) => void;
  /** Told the bytes of a part's current attempt on the wire so far (0 again when it is retried). */
  onPartSent: (part: PartPlan, bytes: number) => void;
  partTimeout: number;
  partRetries: number;
  backoff: BackoffOptions;
  /** How long a part's finish may be answered "not ready", in ms. */
  notReadyPatience: number | undefined;
  signal: AbortSignal | undefined;
  /**
   * Where the PUTs may connect: `allowInternal` is the part URL policy's (`partUrlPolicy`), so a
   * name is judged on its addresses as the URL's text was when the plan was read.
   */
  network: PartNetwork;
}

/**
 * Uploads every part, `concurrency` at a time, each PUT then reported, each retried on its own
 * with back-off. The first part that fails for good stops the others, in flight or waiting, and
 * is what the call rejects with; the caller's signal stops all of them and is rejected with (see
 * `stoppedUpload`: an error saying so when a part finish it cut off had gone out, or one before
 * the wait it cut off had failed unanswered).
 * Memory: a part is read from its range as it is sent, never the whole file.
 *
 * Each of the `concurrency` workers sends its parts under a signal of its own, which its part's
 * read, PUT, `upload_part_finish` and back-off listen to and let go of when the part settles;
 * stopping aborts every worker's signal in turn. So no signal collects a listener per part in
 * flight (ten parts on one signal passed Node's limit of ten listeners and warned of a leak).
 *
 * @param options - content, parts, limits, callbacks
 */
export async function uploadParts(options: PartUploadOptions): Promise<void> {
  const waiting = [...options.parts];
  const workers = Array.from(
    { length: Math.min(options.concurrency, waiting.length) },
    () => new AbortController(),
  );
  let stopped = false;
  const stopAll = (reason: unknown): void => {
    if (stopped) return;
    stopped = true;
    for (const worker of workers) worker.abort(reason);
  };
  let failure: { error: unknown } | undefined;
  // The first part finish the stop cut off after it went out, or else the first that failed
  // unanswered before a part stopped waiting to ask again: then the upload says it may have been sent.
  let cutAfterSend: unknown;
  let landedBefore: LandedRequest | undefined;
  const stoppedAfter = (landed: LandedRequest): void => {
    landedBefore ??= landed;
  };
  const work = async (signal: AbortSignal): Promise<void> => {
    for (let part = waiting.shift(); part !== undefined && !signal.aborted; part = waiting.shift()) {
      try {
        await uploadPart(part, options, signal, stoppedAfter);
        options.onPartDone(part);
      } catch (error) {
        if (sentBeforeStop(error)) cutAfterSend ??= error;
        failure ??= { error };
        stopAll(error);
        return;
      }
    }
  };
  if (options.signal?.aborted) stopAll(options.signal.reason);
  const unlink = onFirstAbort([options.signal], stopAll);
  try {
    await Promise.all(workers.map((worker) => work(worker.signal)));
  } finally {
    unlink();
  }
  if (options.signal?.aborted) throw stoppedUpload(options.signal, cutAfterSend, landedBefore);
  if (failure !== undefined) throw failure.error;
}

/**
 * Stores one part and reports it, retrying within its budget. Stopped while no finish of it was
 * in flight but after one that may have landed, it tells `stoppedAfter` which, and rejects with
 * the signal's reason; {@link uploadParts} makes the upload's error say so.
 */
async function uploadPart(
  part: PartPlan,
  options: PartUploadOptions,
  signal: AbortSignal,
  stoppedAfter: (landed: LandedRequest) => void,
): Promise<void> {
  // The MD5 of the bytes once the storage host has them: a retry after a failed
  // `upload_part_finish` only asks that again, it does not send the bytes a second time.
  let stored: string | undefined;
  // The first finish that failed unanswered (a 5xx, a timeout): it may have been taken, whatever
  // the later attempts fail with; a stop or a failure after it says so.
  let landed: { error: unknown; request: LandedRequest } | undefined;
  const stopped = (error: unknown): unknown => {
    if (sentBeforeStop(error)) return error;
    if (landed !== undefined) stoppedAfter(landed.request);
    return signal.reason;
  };
  for (let attempt = 1; ; attempt++) {
    try {
      if (stored === undefined) {
        const body = readRange(options.content, part.offset, part.length, signal);
        options.onPartSent(part, 0);
        stored = await putPart(
          part.url,
          body,
          part.length,
          options.partTimeout,
          signal,
          (bytes) => options.onPartSent(part, bytes),
          options.network,
        );
      }
      await finishPatiently(part, stored, options, signal);
      return;
    } catch (error) {
      // A finish cut off after it went out, or after one that may have landed, is kept as an
      // error saying so, for the upload's to say so too.
      if (signal.aborted) throw stopped(error);
      // The source failed (a file cut short), not the part: another attempt would read the same.
      if (error instanceof MediaUploadError) throw error;
      if (!isRetryable(error) || attempt > options.partRetries)
        throw partError(part, attempt, error, landed?.error);
      const request = stored === undefined ? undefined : landedBy(error);
      if (request !== undefined) landed ??= { error, request };
      try {
        await sleep(backoffDelay(attempt - 1, options.backoff), signal);
      } catch {
        throw stopped(undefined);
      }
    }
  }
}

/** `upload_part_finish`, asked again while the platform answers "not ready", within its patience. */
async function finishPatiently(
  part: PartPlan,
  md5: string,
  options: PartUploadOptions,
  signal: AbortSignal,
): Promise<void> {
  const until = steadyNow() + (options.notReadyPatience ?? DEFAULT_NOT_READY_PATIENCE);
  for (;;) {
    try {
      return await options.finish(part, md5, signal);
    } catch (error) {
      const notReady = error instanceof ApiError && error.code === PART_NOT_READY_CODE;
      if (!notReady || steadyNow() + NOT_READY_INTERVAL > until) throw error;
      await sleep(NOT_READY_INTERVAL, signal);
    }
  }
}

/**
 * Failures another attempt may get past: the network, timeouts, 5xx, rate limits. Not a
 * destroyed REST client: every later request would fail the same way.
 *
 * @param error - what the attempt threw
 */
export function isRetryable(error: unknown): boolean {
  if (error instanceof PartPutFailure) return error.retryable;
  if (error instanceof ApiError) return error.status >= 500 || error.code === PART_NOT_READY_CODE;
  if (error instanceof ClientDestroyedError) return false;
  return error instanceof NetworkError || error instanceof TimeoutError || error instanceof RateLimitedError;
}

/** A part out of retries or refused; `landed` is an earlier finish of it that failed unanswered. */
function partError(part: PartPlan, attempts: number, error: unknown, landed: unknown): MediaUploadError {
  const failed =
    error instanceof PartPutFailure ? error.message : `upload_part_finish failed: ${messageOf(error)}`;
  const problem =
    landed === undefined
      ? failed
      : `${failed}; an earlier attempt failed without an answer (${messageOf(landed)}) and may have reached the platform`;
  return new MediaUploadError({
    stage: 'part',
    partIndex: part.index,
    attempts,
    problem,
    cause: error,
    mayHaveBeenSent: landed !== undefined || causeMayHaveBeenSent(error),
    ...(error instanceof ApiError ? { code: error.code } : {}),
  });
}
