import type { GuildMemberEvent, User } from '@bot/http';
import { camelize, camelKey, type Camelize, type camelizeInto, yieldsToTwin } from './camelize.js';

/**
 * Whether a key `for…in` gave is the object's own (see camelize's `OWN_KEY`). A constant of this
 * module, not an import: only then does the engine see which function it is and answer the call
 * from the loop's key cache (imported, the member copy took 72 ns longer than with Object.keys).
 */
const OWN_KEY = Object.prototype.hasOwnProperty;

/** The camel-cased names of a wire type, each holding whatever value the wire gave. */
type FieldsOf<Wire> = { [Name in keyof Camelize<Wire>]: unknown };

/**
 * {@link camelizeInto} for a guild member payload (`GUILD_MEMBER_ADD/UPDATE/REMOVE`, and its
 * `user`): the same fields in the same order with the same values, but each documented key is
 * written by a store of its own. Names in `skipped` are left off, as camelizeInto leaves them.
 *
 * Why: member events are a large share of a busy guild's traffic, and the generic copy writes
 * every field through one keyed store that sees every shape of every payload. Such a store
 * looks its field up anew on each write; copying one member cost more than all the rest of its
 * event's handling. A store per documented key always sees the same shape, and stays fast. Keys
 * the documentation does not list still get the generic copy. Building a `Member` from the ingest
 * mix's member payloads, with the generic store warmed by the whole mix: 615–833 → 351–448 ns
 * (medians of 30 paired rounds in two runs; paired saving 267–423 ns, in line with 645 → 593 ns
 * per event of the mix, 15 % of whose events are member events).
 *
 * @param target - the object to fill (the model)
 * @param source - the wire member payload, or its `user`
 * @param skipped - camel-cased names not to write (the model's `prototypeNames`)
 * @returns `target`
 */
export function camelizeMemberInto<Target extends object>(
  target: Target,
  source: object,
  skipped?: ReadonlySet<string>,
): Target {
  const fields = target as unknown as FieldsOf<GuildMemberEvent>;
  const values = source as Record<string, unknown>;
  // Own keys in Object.keys order, without the array Object.keys allocates (see OWN_KEY): 211/198
  // → 148/137 ns per GUILD_MEMBER_ADD/REMOVE model of the ingest mix (paired −64 and −56 ns).
  for (const key in source) {
    if (!OWN_KEY.call(source, key)) continue;
    const value = values[key];
    const copy = typeof value === 'object' && value !== null ? copyValue(key, value) : value;
    switch (key) {
      case 'user':
        fields.user = copy;
        break;
      case 'nick':
        fields.nick = copy;
        break;
      case 'roles':
        fields.roles = copy;
        break;
      case 'joined_at':
        fields.joinedAt = copy;
        break;
      case 'guild_id':
        fields.guildId = copy;
        break;
      case 'op_user_id':
        fields.opUserId = copy;
        break;
      default: {
        // `__proto__` comes out as `_Proto__`, as in camelizeInto: no wire key sets a prototype.
        // An undocumented twin of a documented key (`guildId`) keeps its value, as in camelizeInto.
        const name = camelKey(key);
        if (skipped !== undefined && skipped.has(name)) break;
        if (OWN_KEY.call(target, name) && yieldsToTwin(key, name)) break;
        (target as Record<string, unknown>)[name] = copy;
      }
    }
  }
  return target;
}

/** A member's `user` gets the per-key copy too (see {@link camelizeUser}); anything else the generic one. */
function copyValue(key: string, value: object): unknown {
  return key === 'user' && !Array.isArray(value) ? camelizeUser(value) : camelize(value);
}

/**
 * A camel-cased copy of a member's `user`, its documented keys written by stores of their own.
 *
 * @param source - the wire user
 */
function camelizeUser(source: object): object {
  const fields = {} as FieldsOf<User>;
  const values = source as Record<string, unknown>;
  for (const key in source) {
    if (!OWN_KEY.call(source, key)) continue;
    const value = values[key];
    const copy = typeof value === 'object' && value !== null ? camelize(value) : value;
    switch (key) {
      case 'id':
        fields.id = copy;
        break;
      case 'username':
        fields.username = copy;
        break;
      case 'avatar':
        fields.avatar = copy;
        break;
      case 'bot':
        fields.bot = copy;
        break;
      case 'union_openid':
        fields.unionOpenid = copy;
        break;
      case 'union_user_account':
        fields.unionUserAccount = copy;
        break;
      default: {
        // As in camelizeInto: `unionOpenid` cannot replace the `union_openid` checked or copied.
        const name = camelKey(key);
        if (OWN_KEY.call(fields, name) && yieldsToTwin(key, name)) break;
        (fields as Record<string, unknown>)[name] = copy;
      }
    }
  }
  return fields;
}
