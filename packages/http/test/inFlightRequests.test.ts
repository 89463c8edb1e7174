import { getEventListeners } from 'node:events';
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

  it('cancels only the attempts under an aborted caller signal, with one listener for them all', () => {
    const inFlight = new InFlightRequests(new AbortController().signal);
    const caller = new AbortController();
    const under = [stubRequest(), stubRequest(), stubRequest()];
    const other = stubRequest();
    for (const request of under) inFlight.track(request, caller.signal);
    inFlight.track(other);
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(1);
    caller.abort();
    expect(under.map((request) => request.cancels)).toEqual([1, 1, 1]);
    expect(other.cancels).toBe(0);
    expect(inFlight.size).toBe(1);
    expect(inFlight.signals).toBe(0);
  });

  it('stops listening to a caller signal when its last attempt settles', () => {
    const inFlight = new InFlightRequests(new AbortController().signal);
    const caller = new AbortController();
    const [first, second] = [stubRequest(), stubRequest()];
    inFlight.track(first, caller.signal);
    inFlight.track(second, caller.signal);
    inFlight.untrack(first, caller.signal);
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(1);
    inFlight.untrack(second, caller.signal);
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
    expect(inFlight.signals).toBe(0);
    caller.abort();
    expect([first.cancels, second.cancels]).toEqual([0, 0]);
  });

  it('cancels an attempt whose caller signal aborted already, without listening to it', () => {
    const inFlight = new InFlightRequests(new AbortController().signal);
    const request = stubRequest();
    inFlight.track(request, AbortSignal.abort());
    expect(request.cancels).toBe(1);
    expect(inFlight.size).toBe(0);
    expect(inFlight.signals).toBe(0);
  });

  it('stops listening to every caller signal when the client closes', () => {
    const closing = new AbortController();
    const inFlight = new InFlightRequests(closing.signal);
    const caller = new AbortController();
    const request = stubRequest();
    inFlight.track(request, caller.signal);
    closing.abort();
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
    caller.abort();
    expect(request.cancels).toBe(1);
  });
});
