import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { NetworkError } from '@bot/http';
import { useRestFixture } from './support/restFixture.js';

// A connection dropped before the TLS handshake completed (a filtering proxy, a host restarting)
// carried nothing of the request: like a refused connection, it is retried whatever the method,
// and its NetworkError says nothing was sent, not that a POST may have been delivered.

describe('a connection dropped in the TLS handshake', () => {
  const fixture = useRestFixture();
  let server: net.Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  it('is retried for a POST, and the final error says nothing was sent', async () => {
    let connections = 0;
    server = net.createServer((socket) => {
      connections++;
      // Drop it at the first bytes of the handshake, without a word.
      socket.once('data', () => socket.resetAndDestroy());
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const rest = fixture.client({ baseUrl: `https://127.0.0.1:${port}`, retries: 2 });

    const error = await rest
      .request({
        method: 'POST',
        route: '/channels/{channel_id}/messages',
        params: { channel_id: 'c1' },
        body: { content: 'hello', msg_id: 'm1' },
      })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ mayHaveBeenSent: false });
    expect((error as Error).message).not.toContain('may have been delivered');
    expect(connections).toBe(3);
  });
});
