import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { camelizeInto, prototypeNames } from '../src/models/camelize.js';
import { Member } from '../src/models/guildEvents.js';
import { camelizeMemberInto } from '../src/models/memberFields.js';
import type { ModelBinding } from '../src/models/ModelBinding.js';

/** A value as nested `[key, value]` lists in own-key order: equal only when order matches too. */
function ordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(ordered);
  if (typeof value !== 'object' || value === null) return value;
  return Object.keys(value).map((key) => [key, ordered((value as Record<string, unknown>)[key])]);
}

/** JSON text of an object with these entries in this order (repeats and `__proto__` included). */
function objectText(entries: ReadonlyArray<readonly [string, unknown]>): string {
  return `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`).join(',')}}`;
}

const memberKeys = [
  'user',
  'nick',
  'roles',
  'joined_at',
  'guild_id',
  'op_user_id',
  'joinedAt',
  'extra_field',
  '__proto__',
  // Named like a Member's accessors and methods, or Object's.
  'event_id',
  'event',
  'reply',
  'reply_window',
  'to_string',
];
const userKeys = ['id', 'username', 'avatar', 'bot', 'union_openid', '__proto__', 'user'];

/** A wire user: usually an object of documented and other keys, sometimes any JSON value. */
const userText = fc.oneof(
  fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...userKeys), fc.string()), fc.jsonValue()), { maxLength: 8 })
    .map(objectText),
  fc.jsonValue().map((value) => JSON.stringify(value)),
);

/** A wire member payload as JSON text: documented keys in any order, unknown ones, odd values. */
const memberText = fc
  .array(
    fc.oneof(
      userText.map((text) => `"user":${text}`),
      fc
        .tuple(fc.oneof(fc.constantFrom(...memberKeys), fc.string()), fc.jsonValue())
        .map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`),
    ),
    { maxLength: 10 },
  )
  .map((members) => `{${members.join(',')}}`);

describe('camelizeMemberInto', () => {
  it('copies any member payload exactly as camelizeInto does: same keys, same order, same values', () => {
    fc.assert(
      fc.property(memberText, (text) => {
        const fast = camelizeMemberInto({}, JSON.parse(text) as object);
        const generic = camelizeInto({}, JSON.parse(text) as object);
        expect(ordered(fast)).toEqual(ordered(generic));
        expect(Object.getPrototypeOf(fast)).toBe(Object.prototype);
      }),
      { numRuns: 500 },
    );
  });

  it('copies onto a Member-shaped target as camelizeInto does, leaving its accessors and methods alone', () => {
    const skipped = prototypeNames(Member.prototype);
    fc.assert(
      fc.property(memberText, (text) => {
        const fast = camelizeMemberInto(
          Object.create(Member.prototype) as object,
          JSON.parse(text) as object,
          skipped,
        );
        const generic = camelizeInto(
          Object.create(Member.prototype) as object,
          JSON.parse(text) as object,
          skipped,
        );
        expect(ordered({ ...fast })).toEqual(ordered({ ...generic }));
        expect(Object.keys(fast).filter((key) => skipped.has(key))).toEqual([]);
        expect(typeof (fast as Member).reply).toBe('function');
      }),
      { numRuns: 500 },
    );
  });

  it('gives a Member the fields of the generic copy, in wire order, with its user copied, not shared', () => {
    const text =
      '{"op_user_id":"9","user":{"id":"1","username":"newcomer","avatar":"a","bot":false,"union_openid":"u"},' +
      '"nick":"n","roles":["1"],"joined_at":"2026-12-06T16:28:05+08:00","guild_id":"7","new_field":{"a_b":1}}';
    const payload = JSON.parse(text) as ConstructorParameters<typeof Member>[0];
    const member = new Member(payload, {} as ModelBinding, 'GUILD_MEMBER_ADD', 'event-1');
    expect(ordered({ ...member })).toEqual(ordered(camelizeInto({}, JSON.parse(text) as object)));
    expect(member.user).not.toBe(payload.user);
    expect(member.user).toEqual({ id: '1', username: 'newcomer', avatar: 'a', bot: false, unionOpenid: 'u' });
    expect(member.joinedAt).toBe('2026-12-06T16:28:05+08:00');
    expect(member.opUserId).toBe('9');
  });
});
