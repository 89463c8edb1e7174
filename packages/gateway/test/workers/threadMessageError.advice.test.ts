import { describe, expect, it } from 'vitest';
import { refusalContext } from '../../src/workers/fromWorkerCheck.js';
import { ThreadMessageError } from '../../src/workers/ThreadMessageError.js';

// A refused message stops its thread: the error says what to look at, which depends on whether
// the bot's own code runs there and on what was refused, and names the shard it was about.

const MODULE = 'file:///srv/bot/handler.js';
const facts = (handlerModule: boolean) => ({
  ownsShard: (id: number) => id === 2,
  maxBatch: 8,
  handlerModule,
});

describe('what a refused message is about', () => {
  it('names the shard of the first item refused, or of a call, and whether the type is one of the protocol', () => {
    const batch = {
      type: 'items',
      dispatches: 0,
      items: [
        [2, 'debug', 'fine'],
        [2, 'heartbeat', -1],
      ],
    };
    expect(refusalContext(batch, facts(true))).toEqual({ shardId: 2, knownType: true });
    const call = { type: 'call', call: 1, method: 'sessionSet', shardId: 2, args: [{}] };
    expect(refusalContext(call, facts(true))).toEqual({ shardId: 2, knownType: true });
    expect(refusalContext({ type: 'items', items: [[9, 'debug', 'x']], dispatches: 0 }, facts(true))).toEqual(
      {
        shardId: undefined,
        knownType: true,
      },
    );
    expect(refusalContext({ type: 'hello' }, facts(true))).toEqual({ shardId: undefined, knownType: false });
    expect(refusalContext('text', facts(true))).toEqual({ shardId: undefined, knownType: false });
  });
});

describe('ThreadMessageError', () => {
  it('without a handler module, does not blame one: it points at preloaded modules and the worker script', () => {
    const error = new ThreadMessageError(0, 'items', 'a heartbeat latency is not a duration', { shardId: 2 });
    expect(error.message).toContain("posted a malformed 'items' message about shard 2");
    expect(error.message).not.toContain('handler module');
    expect(error.message).toMatch(/--import/);
    expect(error.message).toMatch(/workerScript/);
    expect(error).toMatchObject({ thread: 0, shardId: 2, module: undefined });
  });

  it('with a handler module, a type outside the protocol points at the module posting on parentPort', () => {
    const error = new ThreadMessageError(1, 'hello', 'a message has the unknown type "hello"', {
      module: MODULE,
      knownType: false,
    });
    expect(error.message).toContain(`handler module ${MODULE}`);
    expect(error.message).toMatch(/MessageChannel of its own/);
    expect(error.message).not.toMatch(/workerScript/);
  });

  it('with a handler module, a malformed message of the protocol names both the module and the worker script', () => {
    const error = new ThreadMessageError(1, 'items', 'a close event gives no reason', {
      module: MODULE,
      knownType: true,
      shardId: 2,
    });
    expect(error.message).toContain(`handler module ${MODULE}`);
    expect(error.message).toMatch(/workerScript/);
  });

  it('says what happens to the shards truly, also as the cause of a restarts-exhausted stop', () => {
    const error = new ThreadMessageError(0, 'items', 'x', {});
    expect(error.message).toContain('its shards resume on a new thread while restarts remain');
  });
});
