import { describe, expect, it } from 'vitest';
import { DISPATCH_EVENTS, IntentFlags, UNTYPED_EVENT_INTENTS } from '@bot/core';
import { sessionReceives } from '../src/dispatch/routing.js';
import { ALL_INTENTS, DEFAULT_GRANTED_INTENTS, Intent } from '../src/index.js';

const SHARD: readonly [number, number] = [0, 1];
const receives = (t: string, intents: number): boolean =>
  sessionReceives({ id: `${t}:1`, t, d: {} }, {}, SHARD, intents);

describe('which events a session receives, by intent', () => {
  const gated = [
    ...Object.entries(DISPATCH_EVENTS).flatMap(([t, event]) =>
      event.intent === null ? [] : [[t, event.intent]],
    ),
    ...Object.entries(UNTYPED_EVENT_INTENTS),
  ] as [string, keyof typeof IntentFlags][];

  it.each(gated)('%s reaches a session only with %s', (t, intent) => {
    const bit = IntentFlags[intent];
    expect(receives(t, bit)).toBe(true);
    expect(receives(t, ALL_INTENTS & ~bit)).toBe(false);
  });

  it('delivers READY, RESUMED and events no intent gates to every session', () => {
    for (const t of ['READY', 'RESUMED', 'SUBSCRIBE_MESSAGE_STATUS']) expect(receives(t, 0)).toBe(true);
  });

  it('grants a new bot GUILDS, GUILD_MEMBERS and PUBLIC_GUILD_MESSAGES', () => {
    expect(DEFAULT_GRANTED_INTENTS).toBe(Intent.GUILDS | Intent.GUILD_MEMBERS | Intent.PUBLIC_GUILD_MESSAGES);
    expect(receives('AT_MESSAGE_CREATE', DEFAULT_GRANTED_INTENTS)).toBe(true);
    expect(receives('GROUP_AT_MESSAGE_CREATE', DEFAULT_GRANTED_INTENTS)).toBe(false);
  });
});
