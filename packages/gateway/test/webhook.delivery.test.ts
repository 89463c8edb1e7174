import { Agent } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WebhookReceiver, WebhookRefusedError, type DispatchPayload, type WebhookServer } from '@bot/gateway';
import { silentLogger } from './support/harness.js';
import { APP_ID, SECRET, post, signedHeaders } from './webhookClient.js';

let receiver: WebhookReceiver;
let server: WebhookServer;
const agent = new Agent({ keepAlive: true, maxSockets: 4 });
let dispatched: DispatchPayload[];
let errors: Error[];
let refusals: WebhookRefusedError[];

beforeAll(async () => {
  receiver = new WebhookReceiver({ secret: SECRET, appId: APP_ID, path: '/qq', logger: silentLogger() });
  receiver.on('dispatch', (payload) => dispatched.push(payload));
  receiver.on('error', (error) => errors.push(error));
  receiver.on('rejected', (_status, _reason, error) => refusals.push(error));
  server = await receiver.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  agent.destroy();
  await server.close();
});

beforeEach(() => {
  // Each case's malformed delivery is then the first of its reason, reported at once, not counted.
  receiver.reportPendingRefusals();
  dispatched = [];
  errors = [];
  refusals = [];
});

/** POSTs `body` signed like the platform signs it. */
function deliver(body: string): ReturnType<typeof post> {
  return post(server.url, body, signedHeaders(body), agent);
}

const dispatch = (fields: Record<string, unknown>): string =>
  JSON.stringify({ op: 0, t: 'C2C_MESSAGE_CREATE', d: { content: 'hi' }, ...fields });

describe('WebhookReceiver event ids', () => {
  it('turns integer ids into their decimal strings, each distinct id staying distinct', async () => {
    for (const id of [123, 456, 0, -7, 'evt-1', '123']) {
      expect((await deliver(dispatch({ id }))).status).toBe(200);
    }
    expect(dispatched.map((payload) => payload.id)).toEqual(['123', '456', '0', '-7', 'evt-1', '123']);
  });

  it('passes a dispatch without an id on without one', async () => {
    expect((await deliver(dispatch({}))).status).toBe(200);
    expect(dispatched).toHaveLength(1);
    expect(dispatched[0]).not.toHaveProperty('id');
  });

  it.each<[string, unknown]>([
    ['true', true],
    ['false', false],
    ['an object', { value: 1 }],
    ['an array', ['a']],
    ['an empty string', ''],
    ['null', null],
    ['a fraction', 1.5],
    ['an integer beyond 2^53 (its digits were lost in parsing)', 2 ** 53 + 2],
    ['a string of 513 characters', 'x'.repeat(513)],
  ])('refuses a dispatch whose id is %s: 400, reported as an error, never dispatched', async (_, id) => {
    const answer = await deliver(dispatch({ id }));

    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({ error: expect.stringMatching(/\bid\b/) });
    expect(dispatched).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(WebhookRefusedError);
    expect(errors[0]).toMatchObject({ code: 'malformedDelivery', status: 400, kind: 'gateway' });
    expect(refusals.map((error) => error.code)).toEqual(['malformedDelivery']);
  });

  it('keeps distinct integer ids distinct and equal ones equal, for any safe integers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.maxSafeInteger(), fc.maxSafeInteger(), async (first, second) => {
        dispatched = [];
        await deliver(dispatch({ id: first }));
        await deliver(dispatch({ id: second }));
        const [a, b] = dispatched.map((payload) => payload.id);
        expect(a).toBe(String(first));
        expect(a === b).toBe(first === second);
      }),
      { numRuns: 40 },
    );
  });
});

describe('WebhookReceiver delivery shape', () => {
  it.each<[string, string, RegExp]>([
    ['a JSON array', '[{"op":0}]', /JSON object/],
    ['JSON null', 'null', /JSON object/],
    ['a fractional op', '{"op":0.5,"t":"X","id":"e"}', /op/],
    ['an op given as a string', '{"op":"0","t":"X","id":"e"}', /op/],
    ['a dispatch without t', '{"op":0,"id":"e","d":{}}', /\bt\b/],
    ['a dispatch with an empty t', '{"op":0,"t":"","id":"e","d":{}}', /\bt\b/],
    ['a dispatch with a numeric t', '{"op":0,"t":5,"id":"e","d":{}}', /\bt\b/],
    ['a dispatch with a t of 129 characters', dispatch({ t: 'X'.repeat(129), id: 'e' }), /\bt\b/],
    ['a dispatch with a negative s', dispatch({ id: 'e', s: -1 }), /\bs\b/],
    ['a dispatch with s given as a string', dispatch({ id: 'e', s: '7' }), /\bs\b/],
    ['a validation without d', '{"op":13}', /plain_token/],
    [
      'a validation whose event_ts is a number',
      '{"op":13,"d":{"plain_token":"abc","event_ts":1725442341}}',
      /event_ts/,
    ],
  ])('refuses %s with 400 and reports it', async (_, body, reason) => {
    const answer = await deliver(body);

    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({ error: expect.stringMatching(reason) });
    expect(dispatched).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'malformedDelivery' });
  });

  it('does not report a malformed request that carries no signature: anyone could have sent it', async () => {
    const body = '{"op":13,"d":{"plain_token":"abc","event_ts":1725442341}}';
    const answer = await post(server.url, body, { 'Content-Type': 'application/json' }, agent);

    expect(answer.status).toBe(400);
    expect(refusals.map((error) => error.code)).toEqual(['malformedDelivery']);
    expect(errors).toEqual([]);
  });

  it('accepts a dispatch with a sequence number and a null one', async () => {
    expect((await deliver(dispatch({ id: 'a', s: 7 }))).status).toBe(200);
    expect((await deliver(dispatch({ id: 'b', s: null }))).status).toBe(200);
    expect(dispatched.map((payload) => payload.s)).toEqual([7, undefined]);
  });

  it('answers any JSON body 200 or 400, never 500, and dispatches only string ids and event names', async () => {
    const field = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined));
    const delivery = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record(
        {
          op: fc.oneof(fc.constantFrom(0, 13, 12), fc.jsonValue({ maxDepth: 1 })),
          t: field,
          id: field,
          s: field,
          d: field,
        },
        { requiredKeys: ['op'] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(delivery, async (value) => {
        dispatched = [];
        const answer = await deliver(JSON.stringify(value) ?? 'null');
        expect([200, 400]).toContain(answer.status);
        for (const payload of dispatched) {
          expect(typeof payload.t).toBe('string');
          if ('id' in payload) expect(typeof payload.id).toBe('string');
        }
      }),
      { numRuns: 150 },
    );
  });

  it('acknowledges other opcodes without dispatching them', async () => {
    const answer = await deliver('{"op":7,"d":null}');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ op: 12, d: 0 });
    expect(dispatched).toEqual([]);
  });
});
