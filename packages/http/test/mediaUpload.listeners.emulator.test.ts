import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { MAX_PART_CONCURRENCY, MediaFileType } from '@bot/http';
import { BLOCK, GROUP, pattern, SMALL, useMediaEmulator } from './support/mediaEmulator.js';

// The abort listeners of a chunked upload: whatever the number of parts in flight, no signal
// collects one listener per part (Node warns of a leak past ten on one signal).

/** Collects the process warnings of one name emitted while `run` goes on (and one tick after). */
async function warningsDuring(name: string, run: () => Promise<void>): Promise<Error[]> {
  const seen: Error[] = [];
  const onWarning = (warning: Error): void => {
    if (warning.name === name) seen.push(warning);
  };
  process.on('warning', onWarning);
  try {
    await run();
    // A warning is emitted on the tick after the listener that crossed the limit was added.
    await delay(0);
  } finally {
    process.off('warning', onWarning);
  }
  return seen;
}

describe('uploadMedia abort listeners', () => {
  const context = useMediaEmulator();

  it('warns of no listener leak with the most parts in flight, from a file, with a caller signal', async () => {
    context.emulator.uploads.configure({ concurrency: MAX_PART_CONCURRENCY });
    const path = join(context.directory, 'clip.mp4');
    const parts = 3 * MAX_PART_CONCURRENCY;
    await writeFile(path, pattern(parts * BLOCK));
    const caller = new AbortController();
    const warnings = await warningsDuring('MaxListenersExceededWarning', async () => {
      // Parts are held until all of them are in flight at once, whatever the machine's speed.
      const release = context.emulator.uploads.holdParts();
      const upload = context.api.groups.uploadMedia(GROUP.id, path, {
        fileType: MediaFileType.Video,
        concurrency: MAX_PART_CONCURRENCY,
        signal: caller.signal,
        ...SMALL,
      });
      while (context.emulator.uploads.inFlightParts < MAX_PART_CONCURRENCY) await delay(2);
      release();
      const media = await upload;
      expect(media.method).toBe('chunked');
    });
    expect(context.emulator.uploads.peakInFlightParts).toBe(MAX_PART_CONCURRENCY);
    expect(context.emulator.uploads.partRequests.filter((put) => put.status === 200)).toHaveLength(parts);
    expect(warnings.map((warning) => warning.message)).toEqual([]);
  });

  it('warns of no listener leak when a part fails with the most parts in flight, and the rest stop', async () => {
    context.emulator.uploads.configure({ concurrency: MAX_PART_CONCURRENCY });
    context.emulator.uploads.failParts({ index: 2, times: 5, status: 500 });
    const parts = 2 * MAX_PART_CONCURRENCY;
    let outcome: unknown;
    const warnings = await warningsDuring('MaxListenersExceededWarning', async () => {
      outcome = await context.api.groups
        .uploadMedia(GROUP.id, pattern(parts * BLOCK), {
          fileType: MediaFileType.Video,
          concurrency: MAX_PART_CONCURRENCY,
          partRetries: 1,
          ...SMALL,
        })
        .catch((e: unknown) => e);
    });
    expect(outcome).toMatchObject({ kind: 'mediaUpload', stage: 'part', partIndex: 2, attempts: 2 });
    expect(warnings.map((warning) => warning.message)).toEqual([]);
  });
});
