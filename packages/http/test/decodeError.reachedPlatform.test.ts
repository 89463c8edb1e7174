import { describe, expect, it } from 'vitest';
import { BotApi, DecodeError, ResponseTooLargeError } from '@bot/http';
import { useRestFixture } from './support/restFixture.js';

// A 2xx the client could not read, or an answer too large to read, still came from the platform:
// the request reached it, so the error says it may have been sent.

describe('an answer the client could not read', () => {
  const fixture = useRestFixture();
  const api = () => new BotApi(fixture.client({ retries: 0 }));

  it('rejects an endpoint answered 200 null with a DecodeError, not null typed as its result', async () => {
    fixture.platform.handler = () => ({ status: 200, raw: 'null' });
    const error = await api()
      .users.me()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DecodeError);
    expect(error).toMatchObject({ status: 200, found: 'null', route: '/users/@me', mayHaveBeenSent: true });
    expect((error as Error).message).toContain(
      'answered 200 with null where a JSON object or array was expected',
    );
  });

  it.each([
    ['not json', undefined],
    ['42', 'a number'],
  ])('says a send answered 200 with %s may have been delivered', async (raw, found) => {
    fixture.platform.handler = () => ({ status: 200, raw });
    const error = await api()
      .groups.send('g1', { msg_type: 0, content: 'hi', msg_id: 'm1', msg_seq: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DecodeError);
    expect(error).toMatchObject({ found, mayHaveBeenSent: true });
    expect((error as Error).message).toContain('it may have been delivered, check before sending again');
  });

  it('says an answer over maxResponseBytes may have been sent', async () => {
    fixture.platform.handler = () => ({ status: 200, body: { id: 'm1', content: 'x'.repeat(10_000) } });
    const error = await new BotApi(fixture.client({ retries: 0, maxResponseBytes: 1024 })).groups
      .send('g1', { msg_type: 0, content: 'hi', msg_id: 'm1', msg_seq: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toMatchObject({ mayHaveBeenSent: true });
  });
});
