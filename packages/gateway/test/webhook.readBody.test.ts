import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '@bot/core';
import { WebhookRefusedError } from '@bot/gateway';
import { ByteBudget } from '../src/webhook/ByteBudget.js';
import { readBody, type BodyLimits, type BodyOutcome } from '../src/webhook/readBody.js';

/**
 * An IncomingMessage-like request, as a framework adapter may build one: nothing has checked its
 * `Content-Length` against its body the way Node's HTTP parser does.
 */
function standIn(contentLength: string | undefined): IncomingMessage {
  const headers = contentLength === undefined ? {} : { 'content-length': contentLength };
  return Object.assign(new EventEmitter(), { headers, pause: () => undefined }) as unknown as IncomingMessage;
}

function limitsOf(budget: ByteBudget): BodyLimits {
  return {
    maxBytes: 4096,
    budget,
    timeoutMs: 10_000,
    tooLarge: (detail) => new WebhookRefusedError('bodyTooLarge', detail),
  };
}

describe('readBody on a request its server did not parse', () => {
  it.each(['abc', '-5', '1.5', '1e3', '', ' 12', '0x10'])(
    "refuses a Content-Length of '%s' with 400 before reading, and takes nothing from the budget",
    (contentLength) => {
      const budget = new ByteBudget(8192);
      const outcomes: BodyOutcome[] = [];

      readBody(standIn(contentLength), limitsOf(budget), (outcome) => outcomes.push(outcome));

      expect(outcomes).toEqual([expect.any(WebhookRefusedError)]);
      expect(outcomes[0]).toMatchObject({ status: 400 });
      expect(budget.used).toBe(0);
    },
  );

  it('gives back all it took once the body is handed over, however long the body turned out to be', () => {
    const budget = new ByteBudget(8192);
    const request = standIn('10');
    const heldWhileHandled: number[] = [];

    readBody(request, limitsOf(budget), () => heldWhileHandled.push(budget.used));
    request.emit('data', Buffer.from('{"op"'));
    request.emit('end');

    expect(heldWhileHandled).toEqual([10]);
    expect(budget.used).toBe(0);
  });
});

describe('ByteBudget', () => {
  it.each([Number.NaN, -1, 1.5, Number.POSITIVE_INFINITY, 2 ** 53])(
    'refuses to take or give %s bytes, and its count stays as it was',
    (bytes) => {
      const budget = new ByteBudget(8192);
      budget.take(100);

      expect(() => budget.take(bytes)).toThrow(ValidationError);
      expect(() => budget.give(bytes)).toThrow(ValidationError);
      expect(budget.used).toBe(100);
    },
  );
});
