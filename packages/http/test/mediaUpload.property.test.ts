import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotApi, MediaFileType, MediaUploadError, type RestClient } from '@bot/http';
import { SEED, type Emulator } from '@bot/testing';
import { BLOCK, mediaRestClient, startMediaEmulator } from './support/mediaEmulator.js';

const RETRIES = 2;

describe('uploadMedia retries, against the emulator', () => {
  let emulator: Emulator;
  let rest: RestClient;
  let api: BotApi;
  let run = 0;
  beforeAll(async () => {
    emulator = await startMediaEmulator();
    rest = mediaRestClient(emulator);
    api = new BotApi(rest);
  });
  afterAll(async () => {
    rest.destroy();
    await emulator.stop();
  });

  it('completes exactly when no part fails more often than partRetries, each part sent once per failure plus once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: RETRIES + 1 }), { minLength: 1, maxLength: 5 }),
        async (failures) => {
          emulator.uploads.reset();
          const seen = emulator.uploads.partRequests.length;
          const completes = (): number =>
            emulator.recorder.records.filter(
              (r) => r.kind === 'rest' && r.route === 'POST /v2/groups/{group_openid}/files',
            ).length;
          const completedBefore = completes();
          failures.forEach((times, position) => {
            if (times > 0) emulator.uploads.failParts({ index: position + 1, times, status: 503 });
          });
          const bytes = Buffer.alloc(failures.length * BLOCK, ++run);
          const outcome = await api.groups
            .uploadMedia(SEED.groups.bookClub, bytes, {
              fileType: MediaFileType.File,
              chunkedThreshold: BLOCK,
              partRetries: RETRIES,
              retryBackoff: { base: 0, max: 0 },
              reuse: false,
            })
            .catch((e: unknown) => e);
          // This upload's PUTs only: an aborted part of an earlier run may be recorded late.
          const prepared = emulator.recorder.records.findLast(
            (r) => r.kind === 'rest' && r.route === 'POST /v2/groups/{group_openid}/upload_prepare',
          );
          const uploadId = (prepared as { response: { upload_id: string } }).response.upload_id;
          const puts = emulator.uploads.partRequests.slice(seen).filter((put) => put.uploadId === uploadId);
          const sentTimes = (index: number): number => puts.filter((put) => put.index === index).length;
          if (failures.every((times) => times <= RETRIES)) {
            expect(outcome).toMatchObject({ method: 'chunked' });
            failures.forEach((times, position) => expect(sentTimes(position + 1)).toBe(times + 1));
            expect(completes()).toBe(completedBefore + 1);
          } else {
            expect(outcome).toBeInstanceOf(MediaUploadError);
            const { partIndex, attempts } = outcome as MediaUploadError;
            expect(failures[(partIndex as number) - 1]).toBeGreaterThan(RETRIES);
            expect(attempts).toBe(RETRIES + 1);
            expect(sentTimes(partIndex as number)).toBe(RETRIES + 1);
            expect(completes()).toBe(completedBefore);
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
