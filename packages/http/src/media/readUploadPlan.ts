import { isNonBlank, isPlainObject } from '@bot/core';
import { DEFAULT_PART_CONCURRENCY, MAX_PART_CONCURRENCY, MAX_PARTS, MIN_BLOCK_SIZE } from './mediaLimits.js';
import { describeValue } from '../errors/describeValue.js';
import { MediaUploadError } from './MediaUploadError.js';
import { partUrlProblem, type PartUrlPolicy } from './partUrlPolicy.js';

/** One part to upload: where its bytes are in the file and where they go. */
export interface PartPlan {
  /** The platform's number for the part, echoed in `upload_part_finish`. */
  index: number;
  /** The presigned URL to `PUT` the bytes to. */
  url: string;
  /** First byte of the part in the file. */
  offset: number;
  /** Bytes in the part. */
  length: number;
}

/** A checked `upload_prepare` answer. */
export interface UploadPlan {
  uploadId: string;
  blockSize: number;
  /** In index order, covering the file exactly. */
  parts: PartPlan[];
  /** Parts the platform lets us upload at once (1–10). */
  concurrency: number;
}

/** Longest time to keep asking `upload_part_finish` for one part, whatever the platform says. */
const MAX_RETRY_TIMEOUT_MS = 600_000;

/**
 * Checks the platform's `upload_prepare` answer against the file before a byte is sent: an
 * upload id, a block size of at least 64 KiB (unless one block holds the file), at most 10,000
 * parts numbered consecutively from 0 or 1 (the SDK counts from 1, other clients report 0),
 * exactly as many as the file needs, each part's own `block_size` (when given) matching its place,
 * and URLs the {@link PartUrlPolicy} allows.
 *
 * @param answer - the parsed answer
 * @param fileSize - the file's size in bytes
 * @param urls - what the API's base URL allows of part URLs
 * @throws {@link MediaUploadError} (stage `prepare`) naming what is wrong
 */
export function readUploadPlan(
  answer: unknown,
  fileSize: number,
  urls: PartUrlPolicy,
): UploadPlan & { retryTimeoutMs?: number } {
  if (!isPlainObject(answer)) throw malformed('it is not a JSON object');
  const uploadId = answer['upload_id'];
  if (!isNonBlank(uploadId)) throw malformed('upload_id is missing');
  const blockSize = positiveInteger(answer['block_size']);
  if (blockSize === undefined)
    throw malformed(`block_size ${describeValue(answer['block_size'])} is not a positive integer`);
  if (blockSize < MIN_BLOCK_SIZE && blockSize < fileSize)
    throw malformed(`block_size ${blockSize} is under the ${MIN_BLOCK_SIZE}-byte floor`);
  const rawParts = answer['parts'];
  if (!Array.isArray(rawParts) || rawParts.length === 0) throw malformed('parts is missing or empty');
  const expected = Math.ceil(fileSize / blockSize);
  if (expected > MAX_PARTS) throw malformed(`${expected} parts are over the ceiling of ${MAX_PARTS}`);
  if (rawParts.length !== expected)
    throw malformed(
      `${rawParts.length} parts for ${fileSize} bytes in blocks of ${blockSize} (expected ${expected})`,
    );
  const listed = rawParts.map((part: unknown, position) => readPart(part, position, urls));
  listed.sort((a, b) => a.index - b.index);
  const first = listed[0]?.index ?? 0;
  if (first !== 0 && first !== 1) throw malformed(`part numbers start at ${first}, not 0 or 1`);
  const parts = listed.map(({ index, url, stated }, position): PartPlan => {
    if (index !== first + position) throw malformed(`part numbers are not consecutive at ${index}`);
    const offset = position * blockSize;
    const length = Math.min(blockSize, fileSize - offset);
    if (stated !== undefined && stated !== length)
      throw malformed(`part ${index} states block_size ${stated}, but its place in the file holds ${length}`);
    return { index, url, offset, length };
  });
  const config = isPlainObject(answer['upload_config']) ? answer['upload_config'] : {};
  const offered = positiveInteger(answer['concurrency'] ?? config['concurrency']);
  const retrySeconds = positiveInteger(answer['retry_timeout'] ?? config['retry_timeout']);
  const plan: UploadPlan & { retryTimeoutMs?: number } = {
    uploadId,
    blockSize,
    parts,
    concurrency: Math.min(offered ?? DEFAULT_PART_CONCURRENCY, MAX_PART_CONCURRENCY),
  };
  if (retrySeconds !== undefined) plan.retryTimeoutMs = Math.min(retrySeconds * 1000, MAX_RETRY_TIMEOUT_MS);
  return plan;
}

function readPart(
  part: unknown,
  position: number,
  urls: PartUrlPolicy,
): { index: number; url: string; stated: number | undefined } {
  if (!isPlainObject(part)) throw malformed(`parts[${position}] is not an object`);
  const index = part['index'] ?? part['part_index'];
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0)
    throw malformed(`parts[${position}].index is not a non-negative integer`);
  const url = part['presigned_url'];
  const problem = partUrlProblem(url, urls);
  if (problem !== undefined) throw malformed(`parts[${position}].presigned_url ${problem}`);
  const raw = part['block_size'];
  const stated = raw === undefined ? undefined : positiveInteger(raw);
  if (raw !== undefined && stated === undefined)
    throw malformed(`parts[${position}].block_size ${describeValue(raw)} is not a positive integer`);
  return { index, url: url as string, stated };
}

/** A positive integer given as a number or a decimal string (the platform sends both). */
function positiveInteger(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) && number > 0 ? number : undefined;
}

function malformed(problem: string): MediaUploadError {
  return new MediaUploadError({
    stage: 'prepare',
    problem: `the upload_prepare answer is unusable: ${problem}`,
  });
}
