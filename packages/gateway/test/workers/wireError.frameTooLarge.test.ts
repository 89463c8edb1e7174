import { describe, expect, it } from 'vitest';
import { FrameTooLargeError, GatewayError } from '@bot/gateway';
import { shardErrorFromWire, toWireError } from '../../src/workers/wireError.js';

describe('a FrameTooLargeError reported on a worker thread', () => {
  it('reaches the main thread as itself, with its limit, message and shard', () => {
    const original = new FrameTooLargeError(2048, 3, '1 in a row; resuming');
    const crossed = shardErrorFromWire(toWireError(original), 3);
    expect(crossed).toBeInstanceOf(FrameTooLargeError);
    expect(crossed).toBeInstanceOf(GatewayError);
    expect((crossed as FrameTooLargeError).maxPayload).toBe(2048);
    expect(crossed.message).toBe(original.message);
    expect((crossed as FrameTooLargeError).shardId).toBe(3);
    expect(crossed.name).toBe(original.name);
  });

  it('without its limit it stays a GatewayError', () => {
    const wire = toWireError(new FrameTooLargeError(2048, 3, 'resuming'));
    delete wire.fields?.['maxPayload'];
    const crossed = shardErrorFromWire(wire, 3);
    expect(crossed).not.toBeInstanceOf(FrameTooLargeError);
    expect(crossed).toBeInstanceOf(GatewayError);
    expect(crossed.message).toBe(new FrameTooLargeError(2048, 3, 'resuming').message);
  });
});
