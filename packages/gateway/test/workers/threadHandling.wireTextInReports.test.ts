/**
 * An event's `t` and `id` are the platform's text: the thread's reports naming an event show them
 * escaped, so a line break or a terminal escape in them cannot end the line and forge another one.
 */
import { describe, expect, it } from 'vitest';
import type { DispatchPayload } from '@bot/gateway';
import type { FromWorker } from '../../src/workers/messages.js';
import { Outbox } from '../../src/workers/Outbox.js';
import { ThreadHandling } from '../../src/workers/ThreadHandling.js';
import type { WireError } from '../../src/workers/wireError.js';

const FORGED_T = 'AT_MESSAGE_CREATE\n2026-12-07 00:00:00.000\tFATAL\tforged \u001b[2J';
const FORGED_ID = 'ev-1\r\n\u001b[31mFAKE\u009b2J\u2028';
/** Characters that end a line or start a terminal escape. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

describe("ThreadHandling's reports name the event escaped", () => {
  it('a handler failing on an event with a forged t and id is reported in one escaped line', async () => {
    const errors: WireError[] = [];
    const outbox = new Outbox(
      (message: FromWorker) => {
        if (message.type !== 'items') return;
        for (const item of message.items) if (item[1] === 'error') errors.push(item[2]);
      },
      16,
      64,
      () => undefined,
    );
    const handler = { dispatch: () => Promise.reject(new Error('handler failed')) };
    const handling = new ThreadHandling(handler, outbox, { maxRuns: 8, timeoutMs: 60_000 }, () => undefined);
    const payload: DispatchPayload = { op: 0, t: FORGED_T, s: 2, id: FORGED_ID, d: {} };
    handling.dispatch(0, 1, payload);
    await new Promise((resolve) => setTimeout(resolve, 50));
    handling.stop();
    expect(errors).toHaveLength(1);
    const message = errors[0]?.message ?? '';
    expect(message).not.toMatch(UNSAFE);
    expect(message).toContain('"AT_MESSAGE_CREATE\\n2026-12-07 00:00:00.000\\tFATAL\\tforged \\u001b[2J"');
    expect(message).toContain('(event "ev-1\\r\\n\\u001b[31mFAKE\\u009b2J\\u2028")');
  });
});
