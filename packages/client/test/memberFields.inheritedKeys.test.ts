import { afterEach, describe, expect, it } from 'vitest';
import { camelizeInto, prototypeNames } from '../src/models/camelize.js';
import { Member } from '../src/models/guildEvents.js';
import { camelizeMemberInto } from '../src/models/memberFields.js';
import type { ModelBinding } from '../src/models/ModelBinding.js';

const binding = {} as ModelBinding;
const payload = (): object =>
  JSON.parse(
    '{"user":{"id":"U1","username":"ann","bot":false},"nick":"a","roles":["1"],"joined_at":"2026-01-01T00:00:00+08:00","guild_id":"G1","op_user_id":"U1"}',
  ) as object;

describe('camelizeMemberInto with keys a payload inherits', () => {
  afterEach(() => {
    delete (Object.prototype as Record<string, unknown>)['polluted_key'];
  });

  it('copies only the payload’s own keys, as camelizeInto does, when Object.prototype has an enumerable one', () => {
    // Code elsewhere in the process (or a prototype pollution) may add one; it is no wire field.
    (Object.prototype as Record<string, unknown>)['polluted_key'] = 'inherited';
    const member = new Member(payload() as never, binding, 'GUILD_MEMBER_ADD', 'E1');
    expect(Object.hasOwn(member, 'pollutedKey')).toBe(false);
    expect(Object.hasOwn(member.user as object, 'pollutedKey')).toBe(false);

    const skipped = prototypeNames(Member.prototype);
    const viaMember = camelizeMemberInto({}, payload(), skipped);
    const viaGeneric = camelizeInto({}, payload(), skipped);
    expect(Object.keys(viaMember)).toEqual(Object.keys(viaGeneric));
    expect(Object.keys(viaMember)).toEqual(['user', 'nick', 'roles', 'joinedAt', 'guildId', 'opUserId']);
    expect(Object.keys((viaMember as { user: object }).user)).toEqual(['id', 'username', 'bot']);
  });
});
