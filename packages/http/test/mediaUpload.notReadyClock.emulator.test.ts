import { afterEach, describe, expect, it, vi } from 'vitest';
import { MediaFileType } from '@bot/http';
import { BLOCK, GROUP, pattern, SMALL, useMediaEmulator } from './support/mediaEmulator.js';

// A part the platform keeps answering "not ready" (40093001) is asked again for at most the
// answer's retry_timeout. That patience is time passed, not the wall clock: a clock stepped back
// (or one that does not move) must not keep the upload asking once a second until its deadline.

describe('upload_part_finish answered "not ready" while the wall clock does not move on', () => {
  const context = useMediaEmulator();
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gives the part up after retry_timeout, not at the upload deadline', async () => {
    context.emulator.uploads.configure({ retryTimeout: 2 });
    context.emulator.uploads.delayPartReady(1_000);
    vi.useFakeTimers({ toFake: ['Date'] }); // the wall clock stands still; timers run
    const started = performance.now();
    const error = await context.api.groups
      .uploadMedia(GROUP.id, pattern(BLOCK + 1), {
        fileType: MediaFileType.Video,
        partRetries: 0,
        deadline: 10_000,
        ...SMALL,
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'mediaUpload', stage: 'part', code: 40093001 });
    expect(performance.now() - started).toBeLessThan(6_000);
  });
});
