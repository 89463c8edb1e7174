import { afterEach, beforeEach, vi } from 'vitest';
import { ShardManager, type ShardManagerOptions } from '@bot/gateway';
import { FakeGateway } from './FakeGateway.js';
import { FakeGatewayInfo } from './gatewayInfo.js';
import { FakeTokens, silentLogger, useFakeClock } from './harness.js';

/** The fake gateway of the running test, its `/gateway/bot` stand-in, and managers facing them. */
export interface FakeGatewayManagers {
  /** The fake gateway the shards connect to. */
  readonly gateway: FakeGateway;
  /** What `/gateway/bot` answers: change its `limit` or `shards` before a manager starts. */
  readonly info: FakeGatewayInfo;
  /** A manager of quiet defaults (one intent, fake tokens) facing {@link FakeGatewayManagers.gateway}. */
  manager(overrides?: Partial<ShardManagerOptions>): ShardManager;
}

/**
 * Puts each test of the enclosing block on the fake clock with a fake gateway of its own, closed
 * after the test with the real clock given back. Read the fields inside tests and hooks.
 */
export function useFakeGatewayManagers(): FakeGatewayManagers {
  let current: { gateway: FakeGateway; info: FakeGatewayInfo } | undefined;
  beforeEach(async () => {
    useFakeClock();
    const gateway = await FakeGateway.start();
    current = { gateway, info: new FakeGatewayInfo(gateway.url) };
  });
  afterEach(async () => {
    vi.useRealTimers();
    await current?.gateway.close();
    current = undefined;
  });
  const started = () => {
    if (current === undefined) throw new Error('read the fake gateway inside a test or hook');
    return current;
  };
  return {
    get gateway() {
      return started().gateway;
    },
    get info() {
      return started().info;
    },
    manager(overrides = {}) {
      return new ShardManager({
        intents: 1 << 30,
        tokens: new FakeTokens(),
        gateway: started().info,
        logger: silentLogger(),
        ...overrides,
      });
    },
  };
}

/** A condition for `advanceUntil`: `manager` runs `count` shards, every one ready. */
export function allReady(manager: ShardManager, count: number): () => boolean {
  return () =>
    manager.status().length === count && manager.status().every((status) => status.state === 'ready');
}
