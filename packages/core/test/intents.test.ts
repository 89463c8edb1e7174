import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IntentFlags, Intents, type IntentName } from '../src/intents/Intents.js';
import { ValidationError } from '../src/errors/ValidationError.js';

describe('Intents', () => {
  it('has the bit values of the platform', () => {
    expect(IntentFlags).toMatchObject({
      GUILDS: 1,
      GUILD_MEMBERS: 2,
      GUILD_MESSAGES: 512,
      GUILD_MESSAGE_REACTIONS: 1024,
      DIRECT_MESSAGE: 4096,
      OPEN_FORUMS_EVENT: 1 << 18,
      AUDIO_OR_LIVE_CHANNEL_MEMBER: 1 << 19,
      ENTER_AIO: 1 << 23,
      GROUP_AND_C2C_EVENT: 1 << 25,
      INTERACTION: 1 << 26,
      MESSAGE_AUDIT: 1 << 27,
      FORUMS_EVENT: 1 << 28,
      AUDIO_ACTION: 1 << 29,
      PUBLIC_GUILD_MESSAGES: 1 << 30,
    });
  });

  it('defaults to the intents every bot is granted', () => {
    expect(Intents.default().names()).toEqual(['GUILDS', 'GUILD_MEMBERS', 'PUBLIC_GUILD_MESSAGES']);
  });

  it('adds intents fluently without mutating', () => {
    const base = Intents.default();
    const more = base.withGroupAndC2cEvent().withDirectMessage().withInteraction();
    expect(base.has(Intents.GROUP_AND_C2C_EVENT)).toBe(false);
    expect(more.has(Intents.GROUP_AND_C2C_EVENT | Intents.DIRECT_MESSAGE | Intents.INTERACTION)).toBe(true);
    expect(more.bits).toBe(base.bits | (1 << 25) | (1 << 12) | (1 << 26));
  });

  it('works with plain bit operations', () => {
    const intents = new Intents(Intents.GUILDS | Intents.PUBLIC_GUILD_MESSAGES);
    expect(+intents).toBe(1 + (1 << 30));
    expect(intents.remove(Intents.GUILDS).names()).toEqual(['PUBLIC_GUILD_MESSAGES']);
    expect(Intents.of('GUILDS', 'INTERACTION').bits).toBe(1 | (1 << 26));
  });

  it('every fluent method sets exactly its own bit', () => {
    const methods = Object.getOwnPropertyNames(Intents.prototype).filter((name) => name.startsWith('with'));
    expect(methods).toHaveLength(Object.keys(IntentFlags).length);
    for (const method of methods) {
      const bits = (Intents.none() as unknown as Record<string, () => Intents>)[method]!().bits;
      expect(Object.values(IntentFlags)).toContain(bits);
    }
  });

  it('refuses a name that is no intent, naming it and the known names, rather than dropping it', () => {
    const misspelt =
      (...names: string[]) =>
      () =>
        Intents.of(...(names as IntentName[]));
    expect(misspelt('GUILDS', 'GUILD_MESSAGE')).toThrow(ValidationError);
    expect(misspelt('GUILDS', 'GUILD_MESSAGE')).toThrow(/no intent named "GUILD_MESSAGE"/);
    expect(misspelt('GROUP_AND_C2C_EVENTS')).toThrow(/the names are GUILDS, .*GROUP_AND_C2C_EVENT/);
    // Names of what every object has are no intents either.
    expect(misspelt('toString')).toThrow(/no intent named "toString"/);
    expect(misspelt('__proto__')).toThrow(ValidationError);
  });

  it('rejects values that are not a valid bit set, naming the option', () => {
    expect(() => new Intents(-1)).toThrow(/intents/);
    expect(() => new Intents(1.5)).toThrow(/intents/);
    expect(() => new Intents(1 << 3)).toThrow(/unknown bits 0x8/);
  });

  it('union and difference behave as sets (property)', () => {
    const known = fc
      .subarray(Object.values(IntentFlags))
      .map((bits) => new Intents(bits.reduce((a, b) => (a | b) >>> 0, 0)));
    fc.assert(
      fc.property(known, known, (a, b) => {
        const union = a.add(b);
        expect(union.has(a) && union.has(b)).toBe(true);
        expect(a.remove(b).add(b).bits).toBe(union.bits);
        expect(a.remove(b).bits & b.bits).toBe(0);
      }),
    );
  });
});
