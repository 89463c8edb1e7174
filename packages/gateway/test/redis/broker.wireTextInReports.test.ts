/**
 * An event's `t` and `id` are the platform's text: the broker's errors naming an event show them
 * escaped, so a line break or a terminal escape in them cannot end a log line and forge another.
 */
import { describe, expect, it } from 'vitest';
import type { DispatchPayload } from '@bot/gateway';
import { RedisEventPublisher, UnpublishedEventError } from '@bot/gateway/redis';
import { handleEntry } from '../../src/redis/broker/RedisEventConsumerHandling.js';
import { encodeDispatch } from '../../src/redis/broker/streamEntry.js';
import { useRedisFixture } from './support/redisFixture.js';

const { redis, namespace } = useRedisFixture();

const FORGED_T = 'AT_MESSAGE_CREATE\n2026-12-07 00:00:00.000\tFATAL\tforged \u001b[2J';
const FORGED_ID = 'ev-1\r\n\u001b[31mFAKE\u009b2J\u2028';
const FORGED: DispatchPayload = { op: 0, t: FORGED_T, s: 1, id: FORGED_ID, d: {} };
/** How the two read once escaped. */
const T_SHOWN = '"AT_MESSAGE_CREATE\\n2026-12-07 00:00:00.000\\tFATAL\\tforged \\u001b[2J"';
const ID_SHOWN = '"ev-1\\r\\n\\u001b[31mFAKE\\u009b2J\\u2028"';
/** Characters that end a line or start a terminal escape. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

describe("the broker's errors name the event escaped", () => {
  it('a sink failing on an entry with a forged t and id is reported in one escaped line', async () => {
    const reports: Error[] = [];
    const handled = await handleEntry(
      { id: '1700000000000-0', fields: encodeDispatch(FORGED, 0, 1) },
      () => Promise.reject(new Error('sink failed')),
      (error) => void reports.push(error),
      30_000,
      () => Promise.resolve(undefined),
    );
    expect(handled).toBe(false);
    expect(reports).toHaveLength(1);
    const message = reports[0]?.message ?? '';
    expect(message).not.toMatch(UNSAFE);
    expect(message).toContain(`event ${ID_SHOWN} (${T_SHOWN}) was not handled`);
  });

  it('a publish of an event with a forged t and id is refused in one escaped line', async () => {
    const publisher = new RedisEventPublisher(redis(), namespace());
    publisher.close();
    const refused = await publisher.publish(FORGED, 0).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UnpublishedEventError);
    const message = (refused as UnpublishedEventError).message;
    expect(message).not.toMatch(UNSAFE);
    expect(message).toContain(`publish ${T_SHOWN} (event ${ID_SHOWN})`);
    // The error keeps the event as received.
    expect((refused as UnpublishedEventError).payload).toBe(FORGED);
  });
});
