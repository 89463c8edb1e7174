import { describe, expect, it } from 'vitest';
import { ThreadClientError } from '../../src/workers/ThreadClientError.js';
import { fromWireError, MAX_WIRE_TEXT, toWireError, type WireError } from '../../src/workers/wireError.js';

const reported = { name: 'HandlerError', kind: 'handler', message: 'handler#0.groupMessageCreate failed' };

/** Every text of `wire` and its causes: messages, stacks and string fields. */
function textsOf(wire: WireError | undefined): string[] {
  if (wire === undefined) return [];
  const fields = Object.values(wire.fields ?? {}).filter((value) => typeof value === 'string');
  return [wire.message, wire.stack ?? '', ...fields, ...textsOf(wire.cause)];
}

describe('an error crossing between threads is bounded', () => {
  it('a ThreadClientError whose cause has a 1 MB message crosses with every message, stack and field within the bound', () => {
    const huge = 'x'.repeat(1_000_000);
    const sent = new ThreadClientError(0, reported, 0, {
      cause: new Error('the handler failed', { cause: new Error(huge) }),
    });
    const wire = toWireError(sent);
    const texts = textsOf(wire);
    expect(texts.length).toBeGreaterThanOrEqual(6);
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(MAX_WIRE_TEXT);
    // What was cut says so, and keeps its beginning.
    expect(wire.cause?.cause?.message).toMatch(/^x+…$/);
    // The structured clone the port makes is small too.
    expect(JSON.stringify(wire).length).toBeLessThan(10 * MAX_WIRE_TEXT);
  });

  it('a long string field (a message the error keeps as a field) is cut alike', () => {
    const error = Object.assign(new Error('boom'), { detail: 'y'.repeat(100_000) });
    const field = toWireError(error).fields?.['detail'];
    expect(typeof field === 'string' && field.length <= MAX_WIRE_TEXT).toBe(true);
  });

  it('an error within the bound crosses whole and comes back as itself', () => {
    const sent = new ThreadClientError(1, reported, 0, { cause: new Error('boom') });
    const back = fromWireError(toWireError(sent)) as ThreadClientError;
    expect(back).toBeInstanceOf(ThreadClientError);
    expect(back.message).toBe(sent.message);
    expect(back.stack).toBe(sent.stack);
    expect((back.cause as Error).message).toBe('boom');
  });
});
