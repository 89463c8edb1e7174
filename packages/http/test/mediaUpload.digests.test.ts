import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MD5_10M_BYTES } from '@bot/http';
import { hashContent } from '../src/media/hashContent.js';
import type { MediaContent } from '../src/media/MediaContent.js';
import { PartPutFailure, putPart } from '../src/media/putPart.js';

const hex = (algorithm: string, bytes: Buffer): string => createHash(algorithm).update(bytes).digest('hex');

/** Bytes no two positions of which repeat in a short cycle, so a misplaced range changes every digest. */
function known(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  let state = 0x9e3779b9;
  for (let i = 0; i < size; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

describe('the digests upload_prepare carries', () => {
  const expected = (bytes: Buffer) => ({
    md5: hex('md5', bytes),
    sha1: hex('sha1', bytes),
    md5_10m: hex('md5', bytes.subarray(0, MD5_10M_BYTES)),
  });

  it.each([1, 1000, MD5_10M_BYTES - 1, MD5_10M_BYTES, MD5_10M_BYTES + 1, 12 * 1024 * 1024 + 7])(
    'match node:crypto over %i bytes in memory and in a file read as a stream',
    async (size) => {
      const bytes = known(size);
      const inMemory: MediaContent = { kind: 'bytes', bytes, size };
      expect(await hashContent(inMemory)).toEqual(expected(bytes));
      const directory = await mkdtemp(join(tmpdir(), 'digest-test-'));
      try {
        const path = join(directory, 'file');
        await writeFile(path, bytes);
        const onDisk: MediaContent = { kind: 'file', path, size, dispose: () => Promise.resolve() };
        expect(await hashContent(onDisk)).toEqual(expected(bytes));
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    },
  );

  it('md5_10m covers exactly the first 10,002,432 bytes: a change after them leaves it, one inside changes it', async () => {
    const bytes = known(MD5_10M_BYTES + 100);
    const before = await hashContent({ kind: 'bytes', bytes, size: bytes.length });
    const after = Buffer.from(bytes);
    after[MD5_10M_BYTES] = (after[MD5_10M_BYTES]! + 1) & 0xff;
    const changedAfter = await hashContent({ kind: 'bytes', bytes: after, size: after.length });
    expect(changedAfter.md5_10m).toBe(before.md5_10m);
    expect(changedAfter.md5).not.toBe(before.md5);
    const inside = Buffer.from(bytes);
    inside[MD5_10M_BYTES - 1] = (inside[MD5_10M_BYTES - 1]! + 1) & 0xff;
    const changedInside = await hashContent({ kind: 'bytes', bytes: inside, size: inside.length });
    expect(changedInside.md5_10m).not.toBe(before.md5_10m);
  });
});

describe('a part PUT to a storage host that answers an error', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  it('reads a few KiB of an endless error body, then gives up on it with the status and the start of it', async () => {
    let written = 0;
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(503, { 'content-type': 'text/plain' });
        // An answer that never ends: without a bound, the client would read until its timeout.
        const more = (): void => {
          while (written < 64 * 1024 * 1024 && res.write('overloaded '.repeat(1000))) written += 11_000;
          if (!res.destroyed) res.once('drain', more);
        };
        more();
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const failure = await putPart(
      `http://127.0.0.1:${port}/part`,
      Buffer.alloc(1000),
      1000,
      600_000,
      new AbortController().signal,
    ).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PartPutFailure);
    expect(failure).toMatchObject({ status: 503, retryable: true });
    expect((failure as Error).message).toMatch(/^the storage host answered 503 \(overloaded overloaded/);
    expect((failure as Error).message.length).toBeLessThan(260);
  });
});
