import { afterEach, beforeEach } from 'vitest';
import { ShardManager, type ShardManagerOptions } from '@bot/gateway';
import type { FakeGateway } from './FakeGateway.js';
import { FakeGatewayInfo } from './gatewayInfo.js';
import { FakeTokens, silentLogger } from './harness.js';
import { useFakeGateway } from './useFakeGateway.js';

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
 * {@link useFakeGateway} for manager tests: each test of the enclosing block gets a fake gateway
 * on the fake clock and a `/gateway/bot` stand-in pointing at it. Read the fields inside tests and hooks.
 */
export function useFakeGatewayManagers(): FakeGatewayManagers {
  const fake = useFakeGateway();
  let info: FakeGatewayInfo | undefined;
  beforeEach(() => {
    info = new FakeGatewayInfo(fake.gateway.url);
  });
  afterEach(() => {
    info = undefined;
  });
  const started = () => {
    if (info === undefined) throw new Error('read the fake gateway inside a test or hook');
    return info;
  };
  return {
    get gateway() {
      return fake.gateway;
    },
    get info() {
      return started();
    },
    manager(overrides = {}) {
      return new ShardManager({
        intents: 1 << 30,
        tokens: new FakeTokens(),
        gateway: started(),
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
