import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, type RateLimitedEvent } from '@bot/http';
import { useRestFixture } from './support/restFixture.js';

// A `rateLimited` listener is the user's code (a metrics exporter, a dashboard): when it throws,
// the call it reports on goes on as if it had not, and the throw is logged.

describe('a throwing rateLimited listener', () => {
  const fixture = useRestFixture();
  afterEach(() => vi.restoreAllMocks());

  it('neither fails the call, keeps it from retrying nor keeps the next listener from hearing, and is logged', async () => {
    fixture.platform.handler = () =>
      fixture.platform.requests.length === 1
        ? { status: 429, body: { code: 429, message: 'slow down' }, headers: { 'retry-after': '0' } }
        : { body: { id: 'sent' } };
    const logger = createLogger('test', 7);
    // Every logger of this test is a tslog Logger: catch what any of them reports as an error.
    const errors: string[] = [];
    vi.spyOn(Object.getPrototypeOf(logger) as typeof logger, 'error').mockImplementation(
      (...args: unknown[]) => {
        errors.push(args.map(String).join(' '));
        return undefined;
      },
    );
    const rest = fixture.client({ logger });
    const heard: RateLimitedEvent[] = [];
    rest.on('rateLimited', (event) => {
      heard.push(event);
      throw new Error('metrics exporter is down');
    });
    const after: RateLimitedEvent[] = [];
    rest.on('rateLimited', (event) => after.push(event));

    await expect(
      rest.request({ method: 'GET', route: '/guilds/{guild_id}', params: { guild_id: 'g1' } }),
    ).resolves.toEqual({ id: 'sent' });
    expect(fixture.platform.requests).toHaveLength(2);
    expect(heard).toHaveLength(1);
    expect(after).toEqual(heard);
    expect(
      errors.some((line) => line.includes('rateLimited') && line.includes('metrics exporter is down')),
    ).toBe(true);
  });
});
