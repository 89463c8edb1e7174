import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { MessageParams, NetworkError } from '@bot/http';
import { useEmulatorRest } from './support/emulatorRest.js';

// A request that gets no answer names the host it was sent to: a user who left the token URL or
// the base URL pointing elsewhere than their emulator sees which host was tried, not only a path.
// `route` stays the route template, the same value errors are grouped by.

/** A 127.0.0.1 URL nothing listens on: a port the system handed out, then closed again. */
async function closedUrl(path = ''): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  return `http://127.0.0.1:${port}${path}`;
}

/** The advice a failure before anything was sent ends with. */
const NOTHING_SENT = '; nothing was sent: check the address (baseUrl or tokenUrl), DNS and the network';

describe('NetworkError', () => {
  it('names the URL tried, with the route template as its path, and keeps route as the template', () => {
    const error = new NetworkError(
      'POST',
      '/channels/{channel_id}/messages',
      'ENOTFOUND',
      undefined,
      'https://api.sgroup.qq.com/channels/{channel_id}/messages',
    );
    expect(error.message).toBe(
      'POST https://api.sgroup.qq.com/channels/{channel_id}/messages failed on the network: ENOTFOUND' +
        NOTHING_SENT,
    );
    expect(error.origin).toBe('https://api.sgroup.qq.com');
    expect(error.route).toBe('/channels/{channel_id}/messages');
  });

  it('never shows credentials, a query or a fragment the URL carries', () => {
    const error = new NetworkError(
      'POST',
      '/app/getAppAccessToken',
      'ECONNREFUSED',
      undefined,
      'https://user:hidden-password@proxy.example:8443/app/getAppAccessToken?key=hidden-key#x',
    );
    expect(error.message).toBe(
      'POST https://proxy.example:8443/app/getAppAccessToken failed on the network: ECONNREFUSED' +
        NOTHING_SENT,
    );
    expect(error.origin).toBe('https://proxy.example:8443');
  });

  it('falls back to the route when made without a URL, or with one that does not parse', () => {
    expect(new NetworkError('GET', '/users/@me', 'ECONNRESET').message).toBe(
      'GET /users/@me failed on the network: ECONNRESET',
    );
    const unparsable = new NetworkError('GET', '/users/@me', 'ECONNRESET', undefined, 'not a url');
    expect(unparsable.message).toBe('GET /users/@me failed on the network: ECONNRESET');
    expect(unparsable.origin).toBeUndefined();
  });

  it('says an answer came that could not be read, not that the network failed, for a parser or decompression error', () => {
    expect(new NetworkError('GET', '/users/@me', 'HPE_INVALID_CONSTANT').message).toBe(
      'GET /users/@me got an answer that could not be read: HPE_INVALID_CONSTANT',
    );
    const inflate = new NetworkError(
      'POST',
      '/channels/{channel_id}/messages',
      'Z_DATA_ERROR: incorrect header check',
    );
    expect(inflate.message).toBe(
      'POST /channels/{channel_id}/messages got an answer that could not be read: Z_DATA_ERROR: incorrect header check; ' +
        'it may have been delivered, check before sending again',
    );
  });
});

describe('a network failure against the emulator', () => {
  const setup = useEmulatorRest();

  it('of the token endpoint names the token URL tried, so a token URL not pointed at the emulator shows', async () => {
    const tokenUrl = await closedUrl('/app/getAppAccessToken');
    const api = setup.client({ tokenUrl, retries: 0 });
    const inbound = setup.emulator.simulate.guildAtMessage({ content: 'hi' });

    const error = await api.messages
      .send(inbound.d.channel_id, MessageParams.text('hello').withReply(inbound.d.id))
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({
      message: `POST ${tokenUrl} failed on the network: ECONNREFUSED${NOTHING_SENT}`,
      origin: new URL(tokenUrl).origin,
      route: '/app/getAppAccessToken',
      reason: 'ECONNREFUSED',
    });
  });

  it('of a REST call names the base URL tried and the route template, keeping route as the template', async () => {
    const baseUrl = await closedUrl();
    const api = setup.client({ baseUrl, retries: 0 });

    const error = await api.messages
      .send('c1', MessageParams.text('hello').withReply('m1'))
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({
      message: `POST ${baseUrl}/channels/{channel_id}/messages failed on the network: ECONNREFUSED${NOTHING_SENT}`,
      origin: baseUrl,
      route: '/channels/{channel_id}/messages',
    });
    // The token came from the emulator: only the REST host was wrong.
    expect(setup.emulator.recorder.records.some((record) => record.kind === 'token')).toBe(true);
  });
});
