import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { camelize, camelizeInto } from '../src/models/camelize.js';
import { Member, MessageReaction } from '../src/models/guildEvents.js';
import { camelizeMemberInto } from '../src/models/memberFields.js';
import type { ModelBinding } from '../src/models/ModelBinding.js';

const parse = (text: string): Record<string, unknown> => JSON.parse(text) as Record<string, unknown>;

describe('a wire key and its camel-cased twin', () => {
  it('keeps the snake_case key, checked by the shape checks, whichever comes first', () => {
    for (const text of [
      '{"channel_id":"c-checked","channelId":{"not":"a string"}}',
      '{"channelId":{"not":"a string"},"channel_id":"c-checked"}',
    ]) {
      expect(camelize(parse(text))).toEqual({ channelId: 'c-checked' });
    }
    // A key renamed and still holding a capital is no wire key either.
    expect(camelize(parse('{"op_user_id":"9","op_userId":[1]}'))).toEqual({ opUserId: '9' });
    expect(camelize(parse('{"op_userId":[1],"op_user_id":"9"}'))).toEqual({ opUserId: '9' });
    expect(camelize(parse('{"a_1":"snake","a1":"kept"}'))).toEqual({ a1: 'snake' });
    expect(Object.keys(camelize(parse('{"id":"1","guildId":2,"name":"n","guild_id":"g"}')))).toEqual([
      'id',
      'guildId',
      'name',
    ]);
    // Nested objects too, and twins with no snake_case key: the first stays.
    expect(camelize(parse('{"target":{"id_x":"m","idX":0},"aB":1,"a_B":2}'))).toEqual({
      target: { idX: 'm' },
      aB: 1,
      a_B: 2,
    });
    expect(camelize(parse('{"opUser_id":1,"op_userId":2}'))).toEqual({ opUserId: 1 });
  });

  it('cannot redirect where a reaction is answered', () => {
    const text =
      '{"user_id":"u1","channel_id":"c-checked","guild_id":"g1","target":{"id":"m","type":0},' +
      '"emoji":{"id":"1","type":1},"channelId":{"not":"a string"},"userId":["u2"]}';
    const reaction = new MessageReaction(
      parse(text) as never,
      {} as ModelBinding,
      'MESSAGE_REACTION_ADD',
      'e1',
    );
    // reply() answers in this.channelId: it must be the channel the shape check accepted.
    expect(reaction.channelId).toBe('c-checked');
    expect(reaction.userId).toBe('u1');
  });

  it('keeps the checked fields of a member and its user', () => {
    const text =
      '{"guildId":["array"],"guild_id":"g-checked","user":{"id":"u1","union_openid":"o","unionOpenid":{}},' +
      '"joined_at":"x","op_user_id":"9","opUserId":1,"extra_field":"snake","extraField":"camel"}';
    const member = new Member(parse(text) as never, {} as ModelBinding, 'GUILD_MEMBER_ADD', 'e1');
    expect(member.guildId).toBe('g-checked');
    expect(member.opUserId).toBe('9');
    expect(member.user.unionOpenid).toBe('o');
    expect((member as unknown as Record<string, unknown>)['extraField']).toBe('snake');
  });

  it('resolves twins alike in the generic and the member copy', () => {
    const keys = [
      'guild_id',
      'guildId',
      'op_user_id',
      'opUserId',
      'op_userId',
      'new_field',
      'newField',
      'nick',
    ];
    const entries = fc.uniqueArray(fc.tuple(fc.constantFrom(...keys), fc.integer()), {
      selector: ([key]) => key,
      maxLength: keys.length,
    });
    fc.assert(
      fc.property(entries, (pairs) => {
        const text = `{${pairs.map(([key, value]) => `"${key}":${value}`).join(',')}}`;
        const generic = camelizeInto({}, parse(text));
        expect(camelizeMemberInto({}, parse(text))).toEqual(generic);
        // Where a snake_case key is present, its value is the field's.
        for (const [key, value] of pairs) {
          if (/^[a-z_]+$/.test(key) && key.includes('_')) {
            const name = key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
            expect((generic as Record<string, unknown>)[name]).toBe(value);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
