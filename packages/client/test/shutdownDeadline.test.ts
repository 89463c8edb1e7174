import { describe, expect, it } from 'vitest';
import { ValidationError } from '@bot/client';
import { shutdownDeadlineError } from '../src/client/shutdown.js';

describe('shutdown deadline check', () => {
  it('accepts any finite number of milliseconds from 0', () => {
    for (const ms of [0, 1, 10_000, 2 ** 40]) expect(shutdownDeadlineError(ms, 'deadlineMs')).toBeUndefined();
  });

  it('refuses a negative, infinite or NaN deadline, naming the field and the value', () => {
    for (const ms of [-1, Number.POSITIVE_INFINITY, Number.NaN]) {
      const error = shutdownDeadlineError(ms, 'shutdownDeadline');
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ field: 'shutdownDeadline' });
      expect(error?.message).toContain(`(got ${ms})`);
    }
  });
});
