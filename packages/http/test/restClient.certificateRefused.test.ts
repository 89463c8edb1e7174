import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { NetworkError } from '@bot/http';
import { useRestFixture } from './support/restFixture.js';
import { SELF_SIGNED } from './support/selfSignedTls.js';

// A certificate the client does not trust (a proxy intercepting TLS, a clock far off, a wrong
// host) fails the TLS handshake, before a byte of the request is sent: the error must not say the
// send may have been delivered, or a bot holds back (or checks for) a message nobody received.

describe('a REST host whose certificate is refused', () => {
  const fixture = useRestFixture();
  let server: https.Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  it('fails a POST with a NetworkError that says nothing was sent, naming the certificate problem', async () => {
    let received = 0;
    server = https.createServer(SELF_SIGNED, (_req, res) => {
      received++;
      res.end('{}');
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const rest = fixture.client({ baseUrl: `https://127.0.0.1:${port}` });

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
    expect((error as Error).message).toMatch(/SELF_SIGNED|CERT_NOT_YET_VALID/);
    expect((error as Error).message).not.toContain('may have been delivered');
    expect(received).toBe(0);
  });
});
