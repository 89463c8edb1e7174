import { afterEach, describe, expect, it } from 'vitest';
import { camelize, camelizeInto } from '../src/models/camelize.js';
import { MessageReaction } from '../src/models/guildEvents.js';
import type { ModelBinding } from '../src/models/ModelBinding.js';

const reactionText =
  '{"user_id":"U1","guild_id":"G1","channel_id":"C1","target":{"id":"M1","type":0},"emoji":{"id":"4","type":1},"2":"two","1":"one"}';

describe('camelize with keys a payload inherits', () => {
  afterEach(() => {
    delete (Object.prototype as Record<string, unknown>)['polluted_key'];
  });

  it('copies own keys only, in Object.keys order, when Object.prototype has an enumerable one', () => {
    const plain = JSON.parse(reactionText) as object;
    const expectedKeys = Object.keys(camelize(plain));
    // Code elsewhere in the process (or a prototype pollution) may add one; it is no wire field.
    (Object.prototype as Record<string, unknown>)['polluted_key'] = 'inherited';
    const copy = camelize(JSON.parse(reactionText) as object) as Record<string, unknown>;
    expect(Object.keys(copy)).toEqual(expectedKeys);
    expect(Object.keys(copy)).toEqual(['1', '2', 'userId', 'guildId', 'channelId', 'target', 'emoji']);
    expect(Object.hasOwn(copy, 'pollutedKey')).toBe(false);
    expect(Object.hasOwn(copy['target'] as object, 'pollutedKey')).toBe(false);
    expect(Object.keys(camelizeInto({}, { a_b: 1 }))).toEqual(['aB']);

    const reaction = new MessageReaction(
      JSON.parse(reactionText) as never,
      {} as ModelBinding,
      'MESSAGE_REACTION_ADD',
      'E1',
    );
    expect(Object.hasOwn(reaction, 'pollutedKey')).toBe(false);
    expect(reaction.userId).toBe('U1');
  });
});
