/**
 * A file path given as the media source may hold any character (it can come from a chat message
 * or a database): the upload error writes it escaped, so a line break or a terminal escape in it
 * cannot forge a log line.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '@bot/core';
import { openContent } from '../src/media/openContent.js';
import { MediaUploadError } from '../src/media/MediaUploadError.js';

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const options = { fileType: 1 as const, spoolFrom: 1024, log: createLogger('test', 7) };

let directory: string | undefined;

afterEach(async () => {
  if (directory !== undefined) await rm(directory, { recursive: true, force: true });
  directory = undefined;
});

async function failureOf(path: string): Promise<MediaUploadError> {
  const failure = await openContent(path, options).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(MediaUploadError);
  return failure as MediaUploadError;
}

describe('openContent, a file path in its error', () => {
  it('writes a missing path escaped, with what failed', async () => {
    const path = '/no/such/dir/a\n2026-12-07 00:00:00.000\tFATAL\tforged \u001b[31mred\u2028.png';
    const failure = await failureOf(path);
    expect(failure.message).not.toMatch(UNSAFE);
    expect(failure.message).toContain('cannot read /no/such/dir/a\\n2026-12-07');
    expect(failure.message).toContain('\\u2028.png: ENOENT: no such file or directory, stat');
  });

  it('writes a path that is not a regular file escaped', async () => {
    directory = await mkdtemp(join(tmpdir(), 'source-\n\u001b[2J-'));
    const failure = await failureOf(directory);
    expect(failure.message).not.toMatch(UNSAFE);
    expect(failure.message).toMatch(/source-\\n\\u001b\[2J-\w+ is not a regular file/);
  });
});
