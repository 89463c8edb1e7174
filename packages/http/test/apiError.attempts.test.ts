import { ApiError } from '@bot/http';
import { describe, expect, it } from 'vitest';
import { useRestFixture } from './support/restFixture.js';

// A call that used up its retries says how many attempts it made, in its message and `attempts`;
// one answered with an error at once says nothing of attempts.

describe('an ApiError after retries', () => {
  const fixture = useRestFixture();

  it('counts the attempts of a GET that got a 500 every time', async () => {
    fixture.platform.handler = () => ({ status: 500, body: { code: 500, message: 'busy' } });
    const rest = fixture.client({ retries: 2 });
    const error = await rest.request({ method: 'GET', route: '/users/@me' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 500, attempts: 3 });
    expect((error as Error).message).toContain('GET /users/@me failed after 3 attempts: 500 code 500');
    expect(fixture.platform.requests.filter((r) => r.path === '/users/@me')).toHaveLength(3);
  });

  it('says nothing of attempts for an error answered at once', async () => {
    fixture.platform.handler = () => ({ status: 404, body: { code: 404, message: 'no such user' } });
    const rest = fixture.client({ retries: 2 });
    const error = await rest.request({ method: 'GET', route: '/users/@me' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 404, attempts: 1 });
    expect((error as Error).message).toContain('GET /users/@me failed: 404');
  });
});
