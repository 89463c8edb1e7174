/** What the storage host knows of one part. */
export interface StoredPart {
  /** Bytes received. */
  size: number;
  /** Hex MD5 of the bytes received. */
  md5: string;
  /** Whether `upload_part_finish` reported it. */
  finished: boolean;
  /** The bytes, kept until completion to check the whole file's MD5 against `upload_prepare`'s. */
  bytes: Buffer;
}

/** One chunked upload between `upload_prepare` and completion. */
export interface UploadSession {
  uploadId: string;
  scene: 'group' | 'c2c';
  target: string;
  fileType: number;
  fileName: string;
  fileSize: number;
  /** Hex MD5 of the whole file, as `upload_prepare` stated it. */
  md5: string;
  blockSize: number;
  /** Number of the first part (the SDK counts from 1). */
  firstIndex: number;
  partCount: number;
  /** Epoch ms after which the part URLs are refused. */
  urlsExpireAt: number;
  /** Order of preparation: 1 for the emulator's first upload. */
  serial: number;
  /** Parts stored so far, by index. */
  parts: Map<number, StoredPart>;
}

/**
 * The size part `index` must have: `blockSize`, or what is left for the last part; `undefined`
 * for an index outside the upload.
 *
 * @param session - the upload
 * @param index - the part number
 */
export function expectedPartSize(session: UploadSession, index: number): number | undefined {
  const position = index - session.firstIndex;
  if (!Number.isInteger(position) || position < 0 || position >= session.partCount) return undefined;
  return Math.min(session.blockSize, session.fileSize - position * session.blockSize);
}
