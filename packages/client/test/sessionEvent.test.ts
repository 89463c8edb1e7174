import { describe, expect, it } from 'vitest';
import { isSessionEvent } from '../src/client/ReadyAnnouncer.js';

describe('isSessionEvent', () => {
  it('is true for READY and RESUMED read from the wire, false for any other name or none', () => {
    const { ready, resumed } = JSON.parse('{"ready":"READY","resumed":"RESUMED"}') as Record<string, string>;
    expect(isSessionEvent(ready)).toBe(true);
    expect(isSessionEvent(resumed)).toBe(true);
    for (const name of ['RESUME', 'READY_', 'RESUMED_', 'ready', '', undefined]) {
      expect(isSessionEvent(name)).toBe(false);
    }
  });
});
