import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../server/httpIo.js';
import { expectedPartSize, type StoredPart, type UploadSession } from './UploadSession.js';

/** One part PUT as the storage host saw it. */
export interface PartRequestRecord {
  uploadId: string;
  /** The part number from the URL (NaN when the path had none). */
  index: number;
  /** Bytes received. */
  bytes: number;
  /** Status answered; 0 when the client went away first. */
  status: number;
  /** Whether the request carried an `Authorization` header (a presigned URL needs none). */
  authorized: boolean;
}

/** What the part endpoint asks of the upload store. */
export interface PartHooks {
  verify(uploadId: string, index: number, expires: number, signature: string): 'ok' | 'bad' | 'expired';
  session(uploadId: string): UploadSession | undefined;
  /** The status of an armed failure for this part of this upload, consumed. */
  takeFailure(session: UploadSession, index: number): number | undefined;
  /** A promise to wait on while part PUTs are held. */
  held(): Promise<void> | undefined;
  /** Keeps a part whose bytes arrived whole and of the right size. */
  store(session: UploadSession, index: number, part: StoredPart): void;
}

/**
 * The storage host's `PUT /_storage/parts/{upload_id}/{index}?expires=…&signature=…`: checks the
 * signature and expiry, the upload and part number, then reads the body (at most the part's size
 * is kept) and stores the part if its size is exactly the part's.
 */
export async function servePart(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  hooks: PartHooks,
): Promise<PartRequestRecord> {
  const [uploadId = '', rawIndex = ''] = url.pathname.split('/').slice(3);
  const index = /^\d+$/.test(rawIndex) ? Number(rawIndex) : NaN;
  const record: PartRequestRecord = {
    uploadId,
    index,
    bytes: 0,
    status: 0,
    authorized: req.headers.authorization !== undefined,
  };
  const answer = async (
    status: number,
    message: string,
    headers: Record<string, string> = {},
  ): Promise<PartRequestRecord> => {
    const body = await drain(req);
    record.bytes = body.bytes;
    record.status = body.complete ? status : 0;
    sendJson(res, status, status < 300 ? undefined : { error: message }, headers);
    return record;
  };
  if (req.method !== 'PUT') return answer(405, 'part URLs take PUT only', { Allow: 'PUT' });
  const expires = Number(url.searchParams.get('expires'));
  const signature = url.searchParams.get('signature') ?? '';
  const verdict = Number.isNaN(index) ? 'bad' : hooks.verify(uploadId, index, expires, signature);
  if (verdict === 'bad') return answer(403, 'signature does not match: use the URL upload_prepare returned');
  if (verdict === 'expired') return answer(403, 'the part URL expired: prepare the upload again');
  const session = hooks.session(uploadId);
  if (session === undefined) return answer(404, `no upload ${uploadId} (completed, or never prepared)`);
  const expected = expectedPartSize(session, index);
  if (expected === undefined) return answer(404, `upload ${uploadId} has no part ${index}`);

  // A client that goes away (an aborted upload), mid-body or while the part is held, gets
  // nothing stored and uses up no fault.
  let gone = false;
  const onClose = (): void => {
    gone = true;
  };
  res.once('close', onClose);
  const md5 = createHash('md5');
  const kept: Buffer[] = [];
  let keptSize = 0;
  const body = await drain(req, (chunk) => {
    md5.update(chunk);
    if (keptSize + chunk.length <= expected) kept.push(chunk);
    keptSize += chunk.length;
  });
  record.bytes = body.bytes;
  if (!body.complete) {
    res.off('close', onClose);
    return record;
  }
  const held = hooks.held();
  if (held !== undefined) await Promise.race([held, closed(res)]);
  res.off('close', onClose);
  if (gone || res.destroyed) return record;
  const failure = hooks.takeFailure(session, index);
  if (failure !== undefined) {
    record.status = failure;
    sendJson(res, failure, { error: `injected failure of part ${index}` });
    return record;
  }
  if (record.bytes !== expected) {
    record.status = 400;
    sendJson(res, 400, { error: `part ${index} must be ${expected} bytes, got ${record.bytes}` });
    return record;
  }
  const digest = md5.digest('hex');
  hooks.store(session, index, {
    size: record.bytes,
    md5: digest,
    finished: false,
    bytes: Buffer.concat(kept),
  });
  record.status = 200;
  sendJson(res, 200, undefined, { ETag: `"${digest}"` });
  return record;
}

/**
 * Reads the body to its end, or until the client goes away (`complete: false`), counting bytes
 * and keeping none.
 */
function drain(
  req: IncomingMessage,
  onChunk?: (chunk: Buffer) => void,
): Promise<{ bytes: number; complete: boolean }> {
  if (req.readableEnded) return Promise.resolve({ bytes: 0, complete: true });
  return new Promise((resolve) => {
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      onChunk?.(chunk);
    });
    req.on('end', () => resolve({ bytes, complete: true }));
    req.on('close', () => resolve({ bytes, complete: false }));
    req.on('error', () => resolve({ bytes, complete: false }));
  });
}

function closed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => res.once('close', resolve));
}
