import { basename } from 'node:path';
import {
  type BotLogger,
  isBotError,
  isNonBlank,
  isPlainObject,
  MediaFileType,
  ValidationError,
  type FanoutWait,
  type MediaUploadResult,
  messageOf,
} from '@bot/core';
import type { CallOptions } from '../api/CallOptions.js';
import { bindEndpoints, type BoundEndpoints } from '../api/endpoint.js';
import {
  GroupMediaRoutes,
  mediaUploadEndpoints,
  UserMediaRoutes,
  type PlainUploadBody,
} from '../api/endpoints/mediaUpload.js';
import { ApiError } from '../errors/ApiError.js';
import { describeValue } from '../errors/describeValue.js';
import { attachCallSiteToFailure, type CallSite, callSiteOf, sendingFrom } from '../rest/callSite.js';
import { CallerSignals } from '../rest/CallerSignals.js';
import type { RestClient } from '../rest/RestClient.js';
import { completeChunkedUpload } from './completeChunkedUpload.js';
import { FileInfoCache } from './FileInfoCache.js';
import { hashContent } from './hashContent.js';
import { checkUnchanged, readWhole, type MediaContent } from './MediaContent.js';
import { MediaUploadError, type MediaUploadStage } from './MediaUploadError.js';
import { openContent } from './openContent.js';
import { partUrlPolicy, type PartUrlPolicy } from './partUrlPolicy.js';
import { ProgressTracker } from './ProgressTracker.js';
import { readUploadPlan } from './readUploadPlan.js';
import { stoppedUpload } from './stoppedUpload.js';
import { checkTarget, resolveUploadOptions, type ResolvedUploadOptions } from './resolveUploadOptions.js';
import type { MediaSource, MediaTarget, UploadedMedia, UploadMediaOptions } from './UploadMediaOptions.js';
import { uploadParts } from './uploadParts.js';
import { uploadScope } from './uploadScope.js';

/** Options of a {@link MediaUploader}. */
export interface MediaUploaderOptions {
  /**
   * Where uploaded `file_info`s are kept for reuse; `false` keeps none.
   * @defaultValue a `FileInfoCache` of 256 entries, private to this uploader
   */
  cache?: FileInfoCache | false | undefined;
}

type Endpoints = BoundEndpoints<ReturnType<typeof mediaUploadEndpoints>>;

/**
 * The options of one upload, under the signal of its {@link uploadScope}, and where its caller
 * called it (its requests, and its failure, show that code).
 */
type ScopedOptions = ResolvedUploadOptions & { signal: AbortSignal; site: CallSite };

/**
 * Uploads images, videos, voice clips and files to QQ groups and C2C users, whatever their size
 * (docs/protocol.md §8.7, §8.8): below `chunkedThreshold` (5 MiB) in one `files` call, above it
 * in parts (`upload_prepare`, a `PUT` of each part to its presigned URL, `upload_part_finish`,
 * then `files` with the `upload_id`). The type's size cap is checked before any request; a large
 * file is read part by part, never whole; parts go `concurrency` at a time, each retried on its
 * own; progress is reported per part; the `signal`, the `deadline` and the REST client's
 * `destroy()` stop everything in flight; the completion is asked again after a passing fault; the
 * `file_info` is kept for reuse until a minute (the cache's margin) before its `ttl` runs out.
 *
 * `api.groups.uploadMedia` and `api.c2c.uploadMedia` use one of these per resource.
 *
 * ```ts
 * const uploader = new MediaUploader(rest);
 * const media = await uploader.upload({ scene: 'group', id: groupOpenid }, './clip.mp4', {
 *   fileType: MediaFileType.Video,
 *   onProgress: ({ bytesDone, bytesTotal }) => console.log(`${bytesDone}/${bytesTotal}`),
 * });
 * await api.groups.send(groupOpenid, OpenMessageParams.media(media).withReply(msgId));
 * ```
 */
export class MediaUploader {
  readonly #endpoints: Readonly<Record<MediaTarget['scene'], Endpoints>>;
  readonly #cache: FileInfoCache | undefined;
  readonly #joinClosing: () => FanoutWait;
  readonly #partUrls: PartUrlPolicy;
  /** The REST client's: a throwing progress callback and a spool left behind are reported there. */
  readonly #log: BotLogger;
  /** The one listener on each caller signal that the uploads under it share. */
  readonly #callers = new CallerSignals();

  /**
   * @param rest - the client the platform calls go through (part PUTs go to the storage host)
   * @param options - the reuse cache
   */
  public constructor(rest: RestClient, options: MediaUploaderOptions = {}) {
    this.#endpoints = {
      group: bindEndpoints(rest, mediaUploadEndpoints(GroupMediaRoutes)),
      c2c: bindEndpoints(rest, mediaUploadEndpoints(UserMediaRoutes)),
    };
    this.#cache = options.cache === false ? undefined : (options.cache ?? new FileInfoCache());
    this.#joinClosing = () => rest.joinClosing();
    this.#partUrls = partUrlPolicy(rest.baseUrl);
    this.#log = rest.logger;
  }

  /** The cache of uploaded `file_info`s, if this uploader keeps one. */
  public get cache(): FileInfoCache | undefined {
    return this.#cache;
  }

  /**
   * Uploads media for a group or C2C chat and resolves to its `file_info`, to send in a
   * `msg_type: 7` message (`OpenMessageParams.media(result)`).
   *
   * @param target - the chat: `{ scene: 'group', id: groupOpenid }` or `{ scene: 'c2c', id: openid }`
   * @param source - a file path, bytes, a Readable stream, or a `URL` the platform fetches
   * @param options - `fileType` (required), progress callback, signal, retry and size settings
   * @throws `ValidationError` for a wrong argument (a URL other than http(s) included),
   *   {@link MediaTooLargeError} for a file over its type's cap (both before any request),
   *   {@link MediaUploadError} for a failed upload (stage `deadline` past the deadline, `shutdown`
   *   when the REST client is destroyed; `mayHaveBeenSent` when it cut off an upload POST whose
   *   body had gone out), and the signal's reason when aborted (an `AbortedAfterSendError` with it
   *   as `cause`, `mayHaveBeenSent`, when it cut off an upload POST whose body had gone out)
   */
  public async upload(
    target: MediaTarget,
    source: MediaSource,
    options: UploadMediaOptions,
  ): Promise<UploadedMedia> {
    const site = callSiteOf(MediaUploader.prototype.upload);
    checkTarget(target);
    const checked = resolveUploadOptions(options);
    if (source instanceof URL && source.protocol !== 'http:' && source.protocol !== 'https:')
      throw new ValidationError(
        'source',
        `must be an http(s) URL for the platform to fetch, got ${source.protocol}`,
      );
    checked.signal?.throwIfAborted();
    // One listener on a caller's signal for all the uploads under it (see `CallerSignals`).
    const caller = checked.signal === undefined ? undefined : this.#callers.join(checked.signal);
    const scope = uploadScope(caller?.signal, this.#joinClosing, checked.deadline);
    const resolved = { ...checked, signal: scope.signal, site };
    try {
      if (source instanceof URL) return await this.#uploadUrl(target, source, resolved);
      const content = await openContent(source, {
        fileType: resolved.fileType,
        spoolFrom: resolved.chunkedThreshold,
        spoolDir: resolved.spoolDir,
        signal: resolved.signal,
        log: this.#log,
      });
      try {
        const fileName = resolved.fileName ?? (typeof source === 'string' ? basename(source) : 'file');
        return await this.#uploadContent(target, content, fileName, resolved);
      } finally {
        if (content.kind === 'file') await content.dispose();
      }
    } catch (error) {
      attachCallSiteToFailure(error, site, checked.signal);
      throw error;
    } finally {
      scope.end();
      caller?.leave();
    }
  }

  async #uploadContent(
    target: MediaTarget,
    content: MediaContent,
    fileName: string,
    options: ScopedOptions,
  ): Promise<UploadedMedia> {
    const progress = new ProgressTracker(options.onProgress, content.size, this.#log);
    progress.reading();
    const hashes = await guard('source', options, () => hashContent(content, options.signal));
    const method = content.size < options.chunkedThreshold ? 'plain' : 'chunked';
    // A file's name travels with its file_info (it is what the chat shows), so it is part of the key.
    const named = options.fileType === MediaFileType.File ? `:${fileName}` : '';
    const key = `${target.scene}:${target.id}:${options.fileType}:${content.size}:${hashes.sha1}${named}`;
    const kept = options.reuse ? this.#cache?.get(key) : undefined;
    if (kept !== undefined) {
      progress.done();
      return { ...kept, reused: true, method: kept.method ?? method };
    }
    const endpoints = sendingFrom(options.site, this.#endpoints[target.scene]);
    const path = { [pathParam(target)]: target.id };
    const call = callOptions(options);
    let result: MediaUploadResult;
    if (method === 'plain') {
      const body: PlainUploadBody = {
        file_type: options.fileType,
        file_data: (await guard('source', options, () => readWhole(content))).toString('base64'),
        srv_send_msg: false,
      };
      if (options.fileType === MediaFileType.File) body.file_name = fileName;
      await guard('source', options, () => checkUnchanged(content));
      progress.uploading(1);
      result = readResult('plain', await guard('plain', options, () => endpoints.plain(path, body, call)));
    } else {
      const answer = await guard('prepare', options, () =>
        endpoints.prepare(
          path,
          { file_type: options.fileType, file_name: fileName, file_size: content.size, ...hashes },
          call,
        ),
      );
      const plan = readUploadPlan(answer, content.size, this.#partUrls);
      progress.uploading(plan.parts.length);
      await uploadParts({
        content,
        parts: plan.parts,
        concurrency: Math.min(plan.concurrency, options.concurrency),
        finish: async (part, md5, signal) => {
          await endpoints.partFinish(
            path,
            { upload_id: plan.uploadId, part_index: part.index, block_size: part.length, md5 },
            { ...call, signal },
          );
        },
        onPartDone: (part) => progress.partDone(part.index, part.length),
        onPartSent: (part, bytes) => progress.partSent(part.index, bytes),
        partTimeout: options.partTimeout,
        partRetries: options.partRetries,
        backoff: options.retryBackoff,
        notReadyPatience: plan.retryTimeoutMs,
        signal: options.signal,
        network: { allowInternal: this.#partUrls.allowInternal },
      });
      await guard('source', options, () => checkUnchanged(content));
      const completed = await completeChunkedUpload({
        complete: () => endpoints.complete(path, { upload_id: plan.uploadId }, call),
        backoff: options.retryBackoff,
        signal: options.signal,
      });
      result = readResult('complete', completed);
    }
    progress.done();
    // Kept with `reuse: false` too: it replaces an entry the platform may have stopped accepting.
    this.#cache?.set(key, { ...result, method });
    return { ...result, reused: false, method };
  }

  async #uploadUrl(target: MediaTarget, url: URL, options: ScopedOptions): Promise<UploadedMedia> {
    const body: PlainUploadBody = { file_type: options.fileType, url: url.href, srv_send_msg: false };
    if (options.fileType === MediaFileType.File && options.fileName !== undefined)
      body.file_name = options.fileName;
    const path = { [pathParam(target)]: target.id };
    const answer = await guard('plain', options, () =>
      sendingFrom(options.site, this.#endpoints[target.scene]).plain(path, body, callOptions(options)),
    );
    return { ...readResult('plain', answer), reused: false, method: 'url' };
  }
}

function pathParam(target: MediaTarget): string {
  return target.scene === 'group' ? GroupMediaRoutes.targetParam : UserMediaRoutes.targetParam;
}

function callOptions(options: ResolvedUploadOptions): CallOptions {
  const call: CallOptions = {};
  if (options.signal !== undefined) call.signal = options.signal;
  if (options.timeout !== undefined) call.timeout = options.timeout;
  return call;
}

/**
 * Runs one step, passing aborts and framework errors of the upload through and wrapping what
 * the platform or the file system threw in a {@link MediaUploadError} of that stage.
 */
async function guard<T>(
  stage: MediaUploadStage,
  options: ResolvedUploadOptions,
  step: () => Promise<T>,
): Promise<T> {
  try {
    return await step();
  } catch (error) {
    // A POST cut off after its body went out may have been taken: the error says so.
    if (options.signal?.aborted) throw stoppedUpload(options.signal, error);
    if (error instanceof MediaUploadError) throw error;
    const problem = messageOf(error);
    if (stage === 'source' && isBotError(error)) throw error;
    throw new MediaUploadError({
      stage,
      problem,
      cause: error,
      ...(error instanceof ApiError ? { code: error.code } : {}),
    });
  }
}

/**
 * Checks the platform's answer to a finished upload: a `file_info` and a usable `ttl`. An answer
 * that fails the check still came with success: the platform took the file (`mayHaveBeenSent`).
 */
function readResult(stage: MediaUploadStage, answer: unknown): MediaUploadResult {
  if (!isPlainObject(answer) || !isNonBlank(answer['file_info']))
    throw new MediaUploadError({
      stage,
      problem: 'the platform took the file, but its answer carries no file_info',
      mayHaveBeenSent: true,
    });
  const ttl = answer['ttl'] ?? 0;
  if (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl < 0)
    throw new MediaUploadError({
      stage,
      problem: `the platform took the file, but its answer's ttl ${describeValue(ttl)} is not a number of seconds`,
      mayHaveBeenSent: true,
    });
  const result: MediaUploadResult = {
    file_uuid: typeof answer['file_uuid'] === 'string' ? answer['file_uuid'] : '',
    file_info: answer['file_info'],
    ttl,
  };
  if (typeof answer['id'] === 'string') result.id = answer['id'];
  return result;
}
