import { describe, expect, it } from 'vitest';
import type { CancelableRequest } from '@bot/core';
import { InFlightRequests } from '../src/rest/InFlightRequests.js';

/** A request that only counts how often it was cancelled. */
function stubRequest(): CancelableRequest<unknown> & { cancels: number } {
  const stub = {
    cancels: 0,
    cancel() {
      stub.cancels++;
    },
    then: Promise.resolve(undefined).then.bind(Promise.resolve(undefined)),
  };
  return stub as CancelableRequest<unknown> & { cancels: number };
}

describe('InFlightRequests', () => {
  it('lets go of a settled attempt: closing the client does not cancel it, nor keep it', () => {
    const closing = new AbortController();
    const inFlight = new InFlightRequests(closing.signal);
    const settled = stubRequest();
    inFlight.track(settled);
    expect(inFlight.size).toBe(1);
    inFlight.untrack(settled);
    expect(inFlight.size).toBe(0);
    closing.abort();
    expect(settled.cancels).toBe(0);
  });

  it('cancels each attempt still on the wire once when the client closes, then holds none', () => {
    const closing = new AbortController();
    const inFlight = new InFlightRequests(closing.signal);
    const onWire = [stubRequest(), stubRequest()];
    for (const request of onWire) inFlight.track(request);
    expect(inFlight.closed).toBe(false);
    closing.abort();
    expect(inFlight.closed).toBe(true);
    expect(onWire.map((request) => request.cancels)).toEqual([1, 1]);
    expect(inFlight.size).toBe(0);
  });

  it('cancels an attempt tracked after the client closed at once, without keeping it', () => {
    const closing = new AbortController();
    const inFlight = new InFlightRequests(closing.signal);
    closing.abort();
    const late = stubRequest();
    inFlight.track(late);
    expect(late.cancels).toBe(1);
    expect(inFlight.size).toBe(0);
  });
});
