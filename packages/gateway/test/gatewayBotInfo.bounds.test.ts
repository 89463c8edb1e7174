/** `/gateway/bot` numbers the manager cannot act on are refused before anything relies on them. */
import { describe, expect, it } from 'vitest';
import { GatewayError } from '@bot/gateway';
import { checkGatewayBotInfo } from '../src/manager/checkGatewayBotInfo.js';

const answer = (limit: Record<string, number> = {}, shards = 1) => ({
  url: 'wss://gateway.example',
  shards,
  session_start_limit: {
    total: 1_000,
    remaining: 1_000,
    reset_after: 86_400_000,
    max_concurrency: 1,
    ...limit,
  },
});

describe('checkGatewayBotInfo', () => {
  it('accepts a reset a day away', () => {
    expect(checkGatewayBotInfo(answer()).session_start_limit.reset_after).toBe(86_400_000);
  });

  it('refuses a reset_after far past a budget period, naming the field', () => {
    expect(() => checkGatewayBotInfo(answer({ reset_after: 1e12 }))).toThrow(GatewayError);
    expect(() => checkGatewayBotInfo(answer({ reset_after: 1e12 }))).toThrow(
      /session_start_limit\.reset_after/,
    );
  });

  it('takes no more remaining session starts than the total (manager.budgetAnswer.test.ts)', () => {
    expect(checkGatewayBotInfo(answer({ total: 2, remaining: 5 })).session_start_limit).toMatchObject({
      total: 2,
      remaining: 2,
    });
    const within = answer({ total: 2, remaining: 1 });
    expect(checkGatewayBotInfo(within)).toBe(within);
  });

  it('refuses a shard count no process could run, naming the field', () => {
    expect(() => checkGatewayBotInfo(answer({}, 2_000_000))).toThrow(GatewayError);
    expect(() => checkGatewayBotInfo(answer({}, 2_000_000))).toThrow(/shards/);
  });
});
