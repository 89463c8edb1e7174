import { describe, expect, it } from 'vitest';
import {
  DISPATCH_EVENTS,
  IntentFlags,
  Intents,
  eventsOfIntent,
  intentOfEvent,
  intentsForEvents,
  isDispatchEventName,
} from '../src/index.js';

const entries = Object.entries(DISPATCH_EVENTS);

describe('the dispatch event catalogue', () => {
  it('gives every event its own handler method', () => {
    const methods = entries.map(([, event]) => event.method);
    expect(new Set(methods).size).toBe(methods.length);
  });

  it('gates every event but READY and RESUMED by a known intent', () => {
    const ungated = entries.filter(([, event]) => event.intent === null).map(([name]) => name);
    expect(ungated).toEqual(['READY', 'RESUMED']);
    for (const [, event] of entries) {
      if (event.intent !== null) expect(Object.keys(IntentFlags)).toContain(event.intent);
    }
  });

  it('carries payload types for the compiler only: each marker is an empty frozen object', () => {
    for (const [, event] of entries) {
      expect(Object.keys(event.payload)).toEqual([]);
      expect(Object.isFrozen(event.payload)).toBe(true);
    }
  });
});

describe('intentOfEvent', () => {
  it('names the intent a typed event needs', () => {
    expect(intentOfEvent('AT_MESSAGE_CREATE')).toBe('PUBLIC_GUILD_MESSAGES');
    expect(intentOfEvent('MESSAGE_CREATE')).toBe('GUILD_MESSAGES');
    expect(intentOfEvent('C2C_MESSAGE_CREATE')).toBe('GROUP_AND_C2C_EVENT');
    expect(intentOfEvent('AUDIO_ON_MIC')).toBe('AUDIO_ACTION');
  });

  it('names the intent of a field-observed event the catalogue does not type', () => {
    expect(isDispatchEventName('ENTER_AIO')).toBe(false);
    expect(intentOfEvent('ENTER_AIO')).toBe('ENTER_AIO');
  });

  it('is undefined for READY, RESUMED and unknown names, which every session receives', () => {
    expect(intentOfEvent('READY')).toBeUndefined();
    expect(intentOfEvent('RESUMED')).toBeUndefined();
    expect(intentOfEvent('SUBSCRIBE_MESSAGE_STATUS')).toBeUndefined();
    // Only own keys: a name that is a property of every object is not an event.
    expect(intentOfEvent('constructor')).toBeUndefined();
    expect(isDispatchEventName('toString')).toBe(false);
  });
});

describe('intentsForEvents', () => {
  it('is the union of the events’ intents, ignoring ungated and unknown names', () => {
    const intents = intentsForEvents(['AT_MESSAGE_CREATE', 'GROUP_AT_MESSAGE_CREATE', 'READY', 'NOPE']);
    expect(intents).toBeInstanceOf(Intents);
    expect(intents.names()).toEqual(['GROUP_AND_C2C_EVENT', 'PUBLIC_GUILD_MESSAGES']);
  });

  it('is no intent for no events', () => {
    expect(intentsForEvents([]).bits).toBe(0);
  });
});

describe('eventsOfIntent', () => {
  it('lists the events an intent subscribes to, in catalogue order', () => {
    expect(eventsOfIntent('PUBLIC_GUILD_MESSAGES')).toEqual(['AT_MESSAGE_CREATE', 'PUBLIC_MESSAGE_DELETE']);
    expect(eventsOfIntent('ENTER_AIO')).toEqual(['ENTER_AIO']);
  });

  it('covers every intent bit but none twice', () => {
    const all = (Object.keys(IntentFlags) as (keyof typeof IntentFlags)[]).flatMap(eventsOfIntent);
    expect(new Set(all).size).toBe(all.length);
    for (const name of Object.keys(IntentFlags) as (keyof typeof IntentFlags)[])
      expect(eventsOfIntent(name).length).toBeGreaterThan(0);
  });
});
