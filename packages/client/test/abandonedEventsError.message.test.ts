import { describe, expect, it } from 'vitest';
import type { GatewayPayload } from '@bot/core';
import { AbandonedEventsError } from '../src/errors/AbandonedEventsError.js';
import { abandonedEventOf } from '../src/dispatch/AbandonedEvent.js';

// The sessions close at the last event handled: a successor resuming them gets the abandoned
// events again, and advice to handle their payloads yourself would have them handled twice.

describe('AbandonedEventsError message', () => {
  it('says a resumed session replays the events, and that only webhook deliveries and closed sessions need the payloads', () => {
    const payload = { op: 0, s: 7, t: 'GROUP_AT_MESSAGE_CREATE', id: 'e7', d: {} } as GatewayPayload;
    const error = new AbandonedEventsError([abandonedEventOf(0, payload, false)], 1_000);
    expect(error.message).not.toMatch(/does not replay/);
    expect(error.message).toMatch(/resuming them from the same session store gets them again/);
    expect(error.message).toMatch(/do not handle them yourself too/);
    expect(error.message).toMatch(/webhook deliveries and sessions closed for good are not replayed/);
  });
});
