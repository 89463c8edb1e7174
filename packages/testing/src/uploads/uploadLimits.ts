// The platform's media sizes as the emulator enforces them (docs/protocol.md §8.8). They mirror
// the client's figures in @bot/http, which this package cannot import.

import { ErrorCode } from '../rest/errorCodes.js';
import { RestError } from '../rest/RestError.js';

const MiB = 1024 * 1024;

/** The largest file of each `file_type` (1 image, 2 video, 3 voice, 4 file), in bytes. */
export const SIZE_CAPS: ReadonlyMap<number, number> = new Map([
  [1, 30 * MiB],
  [2, 100 * MiB],
  [3, 20 * MiB],
  [4, 100 * MiB],
]);

/** The name of a `file_type`, for error messages. */
export function typeName(fileType: number): string {
  return ['image', 'video', 'voice', 'file'][fileType - 1] ?? `type ${fileType}`;
}

/** The most bytes one `files` call takes as base64 `file_data`; larger files go in parts. */
export const MAX_ONE_CALL_BYTES = 20 * MiB;

/**
 * The most parts one upload may have: the framework refuses a longer plan (docs/protocol.md §8.8),
 * and each part costs the emulator a signed URL in the `upload_prepare` answer.
 */
export const MAX_UPLOAD_PARTS = 10_000;

/**
 * The parts of a `fileSize`-byte file in `blockSize`-byte blocks.
 *
 * @throws {@link RestError} 400 / 12002 naming `blockSize` past {@link MAX_UPLOAD_PARTS} parts
 */
export function partCountOf(fileSize: number, blockSize: number): number {
  const parts = Math.ceil(fileSize / blockSize);
  if (parts > MAX_UPLOAD_PARTS)
    throw new RestError(
      400,
      ErrorCode.RequestInvalid,
      `a file of ${fileSize} bytes in ${blockSize}-byte blocks makes ${parts} parts, over the ${MAX_UPLOAD_PARTS} an upload may have: raise blockSize (PUT /__emulator/uploads or emulator.uploads.configure)`,
    );
  return parts;
}

/** `upload_part_finish` before the platform has registered the part: ask again shortly. */
export const PART_NOT_READY_CODE = 40093001;

/** `upload_prepare` once the day's upload quota is used up. */
export const UPLOAD_QUOTA_CODE = 40093002;
