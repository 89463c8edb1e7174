/**
 * The URL of `listen()` says where the server listens. Without `host` it listens on every
 * interface, which a URL naming 127.0.0.1 hid: behind a TLS proxy the plain port is then open to
 * the network too. The URL names `0.0.0.0` then (Node binds `::` or `0.0.0.0`), still a URL a local
 * client can use as it is; with a host given, that host.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebhookReceiver, type WebhookServer } from '@bot/gateway';
import { silentLogger } from './support/harness.js';
import { post, SECRET } from './webhookClient.js';

const VALIDATION = JSON.stringify({ op: 13, d: { plain_token: 'token', event_ts: '1725442341' } });

describe('WebhookReceiver.listen URL', () => {
  const servers: WebhookServer[] = [];

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  const listen = async (options: { port: number; host?: string }): Promise<WebhookServer> => {
    const receiver = new WebhookReceiver({ secret: SECRET, path: '/qq', logger: silentLogger() });
    const server = await receiver.listen(options);
    servers.push(server);
    return server;
  };

  it('names 0.0.0.0 (every interface), not loopback, when no host is given', async () => {
    const server = await listen({ port: 0 });
    const { address, port } = server.server.address() as AddressInfo;
    // Node binds the unspecified address of the machine: '::' with IPv6, '0.0.0.0' without.
    expect(['::', '0.0.0.0']).toContain(address);
    expect(server.url).toBe(`http://0.0.0.0:${port}/qq`);
    // Still a URL this machine can post to as it is (its hostname, unlike a bracketed '[::]', is
    // one a client's `host` option takes too).
    const answer = await post(server.url, VALIDATION, { 'Content-Type': 'application/json' });
    expect(answer.status).toBe(200);
  });

  it.each([['127.0.0.1'], ['localhost']])('names the host given (%s)', async (host) => {
    const server = await listen({ port: 0, host });
    const { port } = server.server.address() as AddressInfo;
    expect(server.url).toBe(`http://${host}:${port}/qq`);
  });
});
