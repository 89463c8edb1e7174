import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { useRestFixture } from './support/restFixture.js';

// The answer times a queue refusal assumes are timed from when a send got its connection: a send
// that waited for a free one (`maxSockets`) behind slow reads was not answered slowly.

const post = (channel: string, timeout: number) =>
  ({
    method: 'POST',
    route: '/channels/{channel_id}/messages',
    params: { channel_id: channel },
    body: { content: 'hi', msg_id: 'm1' },
    timeout,
  }) as const;
const guild = (id: string) =>
  ({ method: 'GET', route: '/guilds/{guild_id}', params: { guild_id: id } }) as const;

describe('the answer time of a send that waited for a free connection', () => {
  const fixture = useRestFixture();

  it('leaves out the wait: a burst after it is sent as the queue sends it', async () => {
    // Reads answer in 3 s, messages in 20 ms.
    fixture.platform.handler = async (request: { url?: string; path?: string }) => {
      await delay(String(request.url ?? request.path ?? '').includes('/guilds/') ? 3_000 : 20);
      return { status: 200, body: { id: 'x' } };
    };
    const rest = fixture.client({ maxSockets: 2 });
    await rest.tokens.get();
    await rest.request(post('c0', 10_000));
    // Two reads hold both connections for 3 s: the next message send waits ~3 s for one.
    const reads = [rest.request(guild('g1')), rest.request(guild('g2'))];
    await delay(50);
    const started = Date.now();
    await rest.request(post('c0', 10_000));
    expect(Date.now() - started).toBeGreaterThan(2_500);
    await Promise.all(reads);
    // 11 sends of 2.5 s on one channel (5 a second): the last ones go at about 1 s and 2 s.
    const burst = Array.from({ length: 11 }, () =>
      rest.request(post('c1', 2_500)).then(
        () => 'sent',
        (error: Error) => error.name,
      ),
    );
    expect(await Promise.all(burst)).toEqual(Array.from({ length: 11 }, () => 'sent'));
  }, 20_000);
});
