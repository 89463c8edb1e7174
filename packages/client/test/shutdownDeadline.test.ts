import { describe, expect, it } from 'vitest';
import { MAX_TIMER_DELAY } from '@bot/core';
import { Client, Intents, Token, ValidationError, type EventHandler } from '@bot/client';
import { requireShutdownDeadline } from '../src/client/shutdown.js';

const handler: EventHandler = { messageCreate: () => undefined };
const builder = () => Client.builder(new Token('app', 'secret'), Intents.default()).eventHandler(handler);

describe('shutdown deadline check', () => {
  it('accepts any whole number of milliseconds from 0 to MAX_TIMER_DELAY', () => {
    for (const ms of [0, 1, 10_000, MAX_TIMER_DELAY])
      expect(requireShutdownDeadline(ms, 'deadlineMs')).toBe(ms);
  });

  it('refuses a negative, infinite or NaN deadline, naming the field and the value', () => {
    for (const ms of [-1, Number.POSITIVE_INFINITY, Number.NaN]) {
      const check = () => requireShutdownDeadline(ms, 'shutdownDeadline');
      expect(check).toThrow(ValidationError);
      expect(check).toThrow(expect.objectContaining({ field: 'shutdownDeadline' }));
      expect(check).toThrow(`(got ${ms})`);
    }
  });

  // Node fires a longer timer after 1 ms: the shutdown would give up on every event at once.
  it('refuses a deadline above MAX_TIMER_DELAY, in the builder and in shutdown()', async () => {
    const tooLong = MAX_TIMER_DELAY + 1;
    const built = await builder()
      .shutdownDeadline(tooLong)
      .build()
      .catch((error: unknown) => error);
    expect(built).toBeInstanceOf(ValidationError);
    expect(built).toMatchObject({ field: 'shutdownDeadline' });
    expect((built as ValidationError).message).toContain(String(MAX_TIMER_DELAY));

    const client = await builder();
    const refused = await client.shutdown({ deadlineMs: 3e9 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ValidationError);
    expect(refused).toMatchObject({ field: 'deadlineMs' });
    await client.shutdown();
  });
});
