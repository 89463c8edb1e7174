import { getEventListeners } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { MediaFileType, MediaUploadError } from '@bot/http';
import { BLOCK, GROUP, pattern, SMALL, useMediaEmulator } from './support/mediaEmulator.js';

// Past the 10 listeners at which Node warns of a leak on one signal.
const UPLOADS = 12;

describe("uploads and the REST client's closing signal", () => {
  const context = useMediaEmulator();

  it('adds no listener to rest.closing per upload in progress, and destroy() still ends each with stage shutdown', async () => {
    await context.api.users.me();
    const idle = getEventListeners(context.rest.closing, 'abort').length;
    const release = context.emulator.uploads.holdParts();
    const uploads = Array.from({ length: UPLOADS }, (_, seed) =>
      context.api.groups
        .uploadMedia(GROUP.id, pattern(2 * BLOCK, seed), { fileType: MediaFileType.Video, ...SMALL })
        .catch((e: unknown) => e),
    );
    while (context.emulator.uploads.inFlightParts < UPLOADS) await delay(2);
    expect(getEventListeners(context.rest.closing, 'abort')).toHaveLength(idle);
    context.rest.destroy();
    const outcomes = await Promise.all(uploads);
    for (const outcome of outcomes) {
      expect(outcome).toBeInstanceOf(MediaUploadError);
      expect(outcome).toMatchObject({ stage: 'shutdown' });
    }
    release();
  });
});
