import { describe, expect, it } from 'vitest';
import { ClientDestroyedError, TimeoutError } from '@bot/http';
import { until, useRestFixture } from './support/restFixture.js';

// Calls past `maxSockets` wait for a free connection inside the client, outside any route queue:
// `queuedRequests` does not count them, `waitingForConnection` does, so a platform that stops
// answering shows as a growing number rather than as nothing.

const guild = (id: string) =>
  ({ method: 'GET', route: '/guilds/{guild_id}', params: { guild_id: id } }) as const;

describe('RestClient.waitingForConnection', () => {
  const fixture = useRestFixture();

  it('counts the calls waiting for a free connection while the platform does not answer', async () => {
    fixture.platform.handler = () => ({ hang: true });
    const rest = fixture.client({ maxSockets: 2, timeout: 60_000 });
    expect(rest.waitingForConnection).toBe(0);
    const calls = Array.from({ length: 7 }, (_, index) =>
      rest.request(guild(`g${index}`)).catch((e: unknown) => e),
    );
    await until(() => fixture.platform.requests.length === 2 && rest.waitingForConnection === 5);
    // Not in a route queue: reads have no cap of their own.
    expect(rest.queuedRequests).toBe(0);

    rest.destroy();
    for (const error of await Promise.all(calls)) expect(error).toBeInstanceOf(ClientDestroyedError);
    expect(rest.waitingForConnection).toBe(0);
  });

  it('drops a call from the count when its timeout ends its wait', async () => {
    fixture.platform.handler = () => ({ hang: true });
    const rest = fixture.client({ maxSockets: 1 });
    const onWire = rest.request({ ...guild('g0'), timeout: 5_000 }).catch((e: unknown) => e);
    await until(() => fixture.platform.requests.length === 1);
    const waiting = rest.request({ ...guild('g1'), timeout: 200 }).catch((e: unknown) => e);
    await until(() => rest.waitingForConnection === 1);
    expect(await waiting).toMatchObject({ mayHaveBeenSent: false });
    expect(await waiting).toBeInstanceOf(TimeoutError);
    expect(rest.waitingForConnection).toBe(0);
    rest.destroy();
    await onWire;
  });
});
