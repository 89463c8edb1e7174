import { describe, expect, it } from 'vitest';
import { ValidationError } from '@bot/http';
import { useRestFixture } from './support/restFixture.js';

// `userAgent` is sent as a header on every request. One that no HTTP message can carry (a line
// break left by a file or an environment variable, a control character) is the caller's mistake,
// refused when the client is built: before, every call failed as a NetworkError ("failed on the
// network"), and a POST's said it may have been delivered, which nothing was.

describe('the userAgent option', () => {
  const fixture = useRestFixture();

  it.each([
    ['a trailing line break', 'my-bot/1.0\n'],
    ['a control character', 'my-bot\u0000/1.0'],
  ])('refuses %s when the client is built, naming the option', (_name, userAgent) => {
    let error: unknown;
    try {
      fixture.client({ userAgent });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field: 'userAgent' });
    expect(fixture.platform.requests).toHaveLength(0);
  });

  it('sends one a header can carry as it is given', async () => {
    const rest = fixture.client({ userAgent: 'my-bot/1.0 (+https://example.com)' });
    await rest.request({ method: 'GET', route: '/users/@me' });
    expect(fixture.platform.requests[0]?.headers['user-agent']).toBe('my-bot/1.0 (+https://example.com)');
  });
});
