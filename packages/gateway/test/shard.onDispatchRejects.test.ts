import { EventEmitter } from 'node:events';
import type { TypedEmitter } from '@bot/core';
import { describe, expect, it } from 'vitest';
import type { ShardEvents } from '../src/shard/ShardEvents.js';
import { ShardNotifier } from '../src/shard/ShardNotifier.js';
import { silentLogger } from './support/harness.js';

describe("a shard's onDispatch that returns a promise", () => {
  it('has its rejection reported on error, named, and the listeners still get the event', async () => {
    const emitter = new EventEmitter() as unknown as TypedEmitter<ShardEvents>;
    const refused = new Error('sink closed');
    const notify = new ShardNotifier(emitter, 3, silentLogger(), async () => Promise.reject(refused));
    const heard: string[] = [];
    emitter.on('dispatch', (payload) => heard.push(payload.t));
    const reported = new Promise<Error>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no 'error' event within 1 s")), 1_000);
      emitter.once('error', (error) => {
        clearTimeout(timer);
        resolve(error);
      });
    });

    notify.dispatch({ op: 0, t: 'AT_MESSAGE_CREATE', s: 1, d: {} });
    expect(heard).toEqual(['AT_MESSAGE_CREATE']);
    const error = await reported;
    expect(error.message).toBe('shard 3: onDispatch rejected');
    expect(error.cause).toBe(refused);
  });
});
