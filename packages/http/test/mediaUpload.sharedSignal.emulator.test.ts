import { getEventListeners } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { MediaFileType } from '@bot/http';
import { BLOCK, GROUP, pattern, SMALL, useMediaEmulator } from './support/mediaEmulator.js';

// A bot often hands every upload one long-lived signal (its shutdown). However many uploads run
// under it at once, it is listened to a bounded number of times, as REST calls' signals are:
// one listener per upload would set off Node's leak warning past ten uploads in flight.

const UPLOADS = 12; // past Node's warning at 11

describe('uploadMedia under one caller signal', () => {
  const context = useMediaEmulator();

  it('listens to it once however many uploads are in flight, and lets go of it once they end', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      if (warning.name === 'MaxListenersExceededWarning') warnings.push(warning);
    };
    process.on('warning', onWarning);
    try {
      const shutdown = new AbortController();
      const release = context.emulator.uploads.holdParts();
      const uploads = Array.from({ length: UPLOADS }, (_, index) =>
        context.api.groups.uploadMedia(GROUP.id, pattern(2 * BLOCK, index), {
          fileType: MediaFileType.Image,
          concurrency: 1,
          signal: shutdown.signal,
          ...SMALL,
        }),
      );
      const outcomes = Promise.allSettled(uploads);
      while (context.emulator.uploads.inFlightParts < UPLOADS) await delay(2);
      const listening = getEventListeners(shutdown.signal, 'abort').length;
      release();
      const media = await outcomes;
      expect(listening).toBeLessThanOrEqual(1);
      expect(media.every((each) => each.status === 'fulfilled' && each.value.method === 'chunked')).toBe(
        true,
      );
      await delay(0);
      expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);
      expect(warnings.map((warning) => warning.message)).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('still ends every upload in flight with its reason when it aborts', async () => {
    const shutdown = new AbortController();
    const release = context.emulator.uploads.holdParts();
    const uploads = Array.from({ length: UPLOADS }, (_, index) =>
      context.api.groups
        .uploadMedia(GROUP.id, pattern(2 * BLOCK, index), {
          fileType: MediaFileType.Image,
          concurrency: 1,
          signal: shutdown.signal,
          ...SMALL,
        })
        .catch((error: unknown) => error),
    );
    while (context.emulator.uploads.inFlightParts < UPLOADS) await delay(2);
    const reason = new Error('shutting down');
    shutdown.abort(reason);
    const outcomes = await Promise.all(uploads);
    release();
    expect(outcomes.every((outcome) => outcome === reason)).toBe(true);
    expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);
  });
});
