/**
 * A receiver already serving before anything listens to its `dispatch` event (an application
 * that mounts the handler, then finishes its own start-up) refuses events with 503 and
 * `Retry-After` instead of acknowledging them to nobody: the platform delivers them again, where
 * an acknowledgement would have lost them without a word. URL validation is answered all the same.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  WebhookReceiver,
  type DispatchPayload,
  type WebhookRefusedError,
  type WebhookServer,
} from '@bot/gateway';
import { silentLogger } from './support/harness.js';
import { APP_ID, post, SECRET, signedHeaders } from './webhookClient.js';

const DELIVERY = '{"op":0,"t":"C2C_MESSAGE_CREATE","id":"evt-1","d":{"content":"hi"}}';
const VALIDATION = '{"op":13,"d":{"plain_token":"Arq0D5A61EgUu4OxUvOp","event_ts":"1725442341"}}';

const servers: WebhookServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('WebhookReceiver without a dispatch listener', () => {
  it('refuses events with 503 and Retry-After until one listens, then acknowledges and emits them', async () => {
    const receiver = new WebhookReceiver({ secret: SECRET, appId: APP_ID, logger: silentLogger() });
    const refusals: WebhookRefusedError[] = [];
    receiver.on('rejected', (_status, _reason, error) => refusals.push(error));
    const server = await receiver.listen({ port: 0, host: '127.0.0.1' });
    servers.push(server);

    const early = await post(server.url, DELIVERY, signedHeaders(DELIVERY));
    const validation = await post(server.url, VALIDATION, { 'Content-Type': 'application/json' });
    const seen: DispatchPayload[] = [];
    receiver.on('dispatch', (payload) => seen.push(payload));
    const late = await post(server.url, DELIVERY, signedHeaders(DELIVERY));

    expect(early.status).toBe(503);
    expect(early.headers['retry-after']).toBe('1');
    expect(refusals.map((refusal) => refusal.code)).toEqual(['overloaded']);
    expect(refusals[0]?.detail).toMatch(/no 'dispatch' listener/);
    expect(validation.status).toBe(200);
    expect(late.status).toBe(200);
    expect(JSON.parse(late.body)).toEqual({ op: 12, d: 0 });
    expect(seen.map((payload) => payload.id)).toEqual(['evt-1']);
  });
});
