import { describe, expect, it } from 'vitest';
import { ApiError } from '@bot/http';

// A 5xx answer means the platform may have acted before it failed: a POST answered so may have
// posted its message, and the error says to check before sending again, as a timeout's does.

const details = { errCode: undefined, message: 'internal error', traceId: 't1' } as const;

describe("an ApiError's advice on a server error", () => {
  it('tells a POST answered with a 5xx that it may have been delivered', () => {
    const error = new ApiError({
      ...details,
      status: 500,
      code: 500,
      method: 'POST',
      route: '/v2/groups/{group_openid}/messages',
    });
    expect(error.mayHaveBeenSent).toBe(true);
    expect(error.message).toMatch(/may have been delivered, check before sending again$/);
  });

  it('says nothing of delivery for a read answered with a 5xx, nor for a refusal', () => {
    const read = new ApiError({ ...details, status: 502, code: 502, method: 'GET', route: '/users/@me' });
    expect(read.message).not.toContain('delivered');
    const refusal = new ApiError({
      ...details,
      status: 400,
      code: 40034024,
      method: 'POST',
      route: '/v2/groups/{group_openid}/messages',
    });
    expect(refusal.mayHaveBeenSent).toBe(false);
    expect(refusal.message).not.toContain('may have been delivered');
  });
});
