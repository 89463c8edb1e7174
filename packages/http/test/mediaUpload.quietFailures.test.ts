import { Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, MediaFileType } from '@bot/http';
import { GROUP, pattern, SMALL, useMediaEmulator } from './support/mediaEmulator.js';

// What an upload cannot fail for is still not lost without a trace: a throwing progress callback
// and a spool file left behind are each logged once, through the REST client's logger.

/** Spool removals fail while this is on (as they do on a busy or read-only temporary directory). */
const removal = vi.hoisted(() => ({ fails: false }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    rm: (path: string, options?: Parameters<typeof actual.rm>[1]) =>
      removal.fails && path.includes('bot-media-')
        ? Promise.reject(
            Object.assign(new Error(`EBUSY: resource busy or locked, rm '${path}'`), { code: 'EBUSY' }),
          )
        : actual.rm(path, options),
  };
});

/** What any logger printed at `level` while the test ran (every logger is a tslog Logger). */
function printed(level: 'warn' | 'error'): string[] {
  const lines: string[] = [];
  const prototype = Object.getPrototypeOf(createLogger()) as ReturnType<typeof createLogger>;
  vi.spyOn(prototype, level).mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
    return undefined;
  });
  return lines;
}

describe('uploadMedia failures that are not the upload’s', () => {
  const context = useMediaEmulator();
  afterEach(() => {
    removal.fails = false;
    vi.restoreAllMocks();
  });

  it('logs the first throw of an onProgress callback, once, and the upload goes on', async () => {
    const errors = printed('error');
    let calls = 0;
    const media = await context.api.groups.uploadMedia(GROUP.id, pattern(4 * SMALL.chunkedThreshold), {
      fileType: MediaFileType.Image,
      ...SMALL,
      onProgress: () => {
        calls++;
        throw new Error('progress bar gone');
      },
    });

    expect(media.method).toBe('chunked');
    expect(calls).toBeGreaterThan(2);
    const lines = errors.filter((line) => line.includes('onProgress'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('progress bar gone');
  });

  it('logs a spool file it could not remove, naming it, and the upload still succeeds', async () => {
    const warnings = printed('warn');
    removal.fails = true;
    const media = await context.api.groups.uploadMedia(
      GROUP.id,
      Readable.from([pattern(4 * SMALL.chunkedThreshold)]),
      { fileType: MediaFileType.Image, ...SMALL, spoolDir: context.directory },
    );

    expect(media.method).toBe('chunked');
    const [spool] = await context.spools();
    expect(spool).toBeDefined();
    const lines = warnings.filter((line) => line.includes('spool'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(spool);
    expect(lines[0]).toContain('EBUSY');
  });
});
