import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayError, ShardManager } from '@bot/gateway';
import { FakeGatewayInfo } from './support/gatewayInfo.js';
import { capturingLogger, FakeTokens } from './support/harness.js';

const uncaught: unknown[] = [];
const onUncaught = (error: unknown): void => void uncaught.push(error);

afterEach(() => {
  process.off('uncaughtException', onUncaught);
  uncaught.length = 0;
});

/** A manager that never starts a shard, its log lines collected. */
function idleManager(): { manager: ShardManager; lines: string[] } {
  const { logger, lines } = capturingLogger();
  const manager = new ShardManager({
    intents: 1,
    tokens: new FakeTokens(),
    gateway: new FakeGatewayInfo('ws://127.0.0.1:1'),
    logger,
  });
  return { manager, lines };
}

/** A few turns: the rejection handler runs a turn after the rejection. */
const turns = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

describe("ShardManager when a listener's promise rejects", () => {
  it("logs an 'error' listener that throws on the report instead of making it an uncaught exception", async () => {
    process.on('uncaughtException', onUncaught);
    const { manager, lines } = idleManager();
    manager.on('error', () => {
      throw new Error('error listener bug');
    });
    manager.on('state', async () => {
      throw new Error('state listener failed');
    });
    manager.emit('state', 'ready', 'connecting', 0);
    await turns();
    expect(uncaught).toEqual([]);
    expect(lines).toContain("ERROR an 'error' listener of the manager threw: error listener bug");
  });

  it('reports a rejection of an event emitted without arguments, as shard 0', async () => {
    process.on('uncaughtException', onUncaught);
    const { manager } = idleManager();
    const reported: Array<[Error, number]> = [];
    manager.on('error', (error, id) => void reported.push([error, id]));
    const cause = new Error('custom listener failed');
    const plain = manager as unknown as EventEmitter;
    plain.on('custom', async () => {
      throw cause;
    });
    plain.emit('custom');
    await turns();
    expect(uncaught).toEqual([]);
    expect(reported.map(([error, id]) => [error.message, id])).toEqual([
      ["shard 0: a 'custom' listener of the manager rejected", 0],
    ]);
    expect(reported[0]?.[0]).toBeInstanceOf(GatewayError);
    expect(reported[0]?.[0].cause).toBe(cause);
  });

  it('reports a rejection of an event whose first argument is an array not led by a shard id, as shard 0', async () => {
    const { manager } = idleManager();
    const reported: Array<[string, number]> = [];
    manager.on('error', (error, id) => void reported.push([error.message, id]));
    const plain = manager as unknown as EventEmitter;
    plain.on('custom', async () => {
      throw new Error('custom listener failed');
    });
    plain.emit('custom', ['not a shard id']);
    await turns();
    expect(reported).toEqual([["shard 0: a 'custom' listener of the manager rejected", 0]]);
  });
});
