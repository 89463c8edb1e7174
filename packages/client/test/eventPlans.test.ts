import { describe, expect, it } from 'vitest';
import { EventPlans, type EventPlan } from '../src/dispatch/EventPlans.js';
import type { EventHandler } from '../src/events/EventHandler.js';

describe('EventPlans', () => {
  const c2c = (): void => undefined;
  const interaction = (): void => undefined;
  const handler: EventHandler = { c2cMessageCreate: c2c, interactionCreate: interaction };

  it('tells apart names of the same length, each read from a fresh string as JSON.parse gives it', () => {
    const plans = new EventPlans([handler]);
    // Both 18 characters long: they share a bucket, and only their characters tell them apart.
    expect('C2C_MESSAGE_CREATE'.length).toBe('INTERACTION_CREATE'.length);
    const kept: Array<EventPlan | undefined> = [];
    for (let round = 0; round < 3; round++) {
      const { t: first } = JSON.parse('{"t":"INTERACTION_CREATE"}') as { t: string };
      const { t: second } = JSON.parse('{"t":"C2C_MESSAGE_CREATE"}') as { t: string };
      const planned = [plans.of(first), plans.of(second)];
      expect(planned[0]?.calls.map((call) => call.method)).toEqual([interaction]);
      expect(planned[1]?.calls.map((call) => call.method)).toEqual([c2c]);
      // Worked out on the first event of each name, the first and the later names of a length.
      if (round === 0) kept.push(...planned);
      else planned.forEach((plan, index) => expect(plan).toBe(kept[index]));
    }
  });

  it('answers undefined for an unknown name, a name no handler implements, and no name', () => {
    const plans = new EventPlans([handler]);
    expect(plans.of('NOT_AN_EVENT_NAME')).toBeUndefined();
    expect(plans.of('GUILD_MEMBER_ADD')).toBeUndefined();
    expect(plans.of('GUILD_MEMBER_ADD')).toBeUndefined();
    expect(plans.of(undefined)).toBeUndefined();
    // A name of the catalogue still resolves after the misses above.
    expect(plans.of('C2C_MESSAGE_CREATE')?.calls).toHaveLength(1);
  });

  it('works out a plan once per name: later events of that name get the same plan', () => {
    const plans = new EventPlans([handler]);
    const first = plans.of('C2C_MESSAGE_CREATE');
    expect(plans.of(`C2C_MESSAGE${'_CREATE'}`)).toBe(first);
  });
});
