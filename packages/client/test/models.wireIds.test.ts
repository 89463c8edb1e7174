import { describe, expect, it } from 'vitest';
import { ValidationError, type BotApi } from '@bot/http';
import { C2CMessage, DirectMessage, GroupMessage, Interaction, Message } from '@bot/client';
import { ReplySequencer } from '../src/models/ReplySequencer.js';

/*
 * A reply quotes its message's id as `msg_id`; without it the platform takes the reply for a
 * proactive message (another quota, and re-sent after a 504). So a message model is never built
 * from a payload that lacks the ids its replies are addressed by.
 */

const binding = { api: {} as BotApi, replies: new ReplySequencer() };

const guildWire = {
  id: 'm1',
  channel_id: 'c1',
  guild_id: 'g1',
  content: 'hi',
  author: { id: 'u1', username: 'Alice' },
};
const groupWire = { id: 'g1', content: 'hi', group_openid: 'G1', author: { member_openid: 'M1' } };
const c2cWire = { id: 'p1', content: 'hi', author: { user_openid: 'U1' } };

/** The wire object with `path` (`author.user_openid`) set to `value` (`undefined` removes it). */
function withField(wire: object, path: string, value: unknown): object {
  const copy = structuredClone(wire) as Record<string, unknown>;
  const keys = path.split('.');
  let target = copy;
  for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
  if (value === undefined) delete target[keys.at(-1)!];
  else target[keys.at(-1)!] = value;
  return copy;
}

const builders = {
  Message: { wire: guildWire, build: (d: object) => new Message(d as never, binding, 'e1') },
  DirectMessage: { wire: guildWire, build: (d: object) => new DirectMessage(d as never, binding, 'e1') },
  GroupMessage: { wire: groupWire, build: (d: object) => new GroupMessage(d as never, binding, 'e1') },
  C2CMessage: { wire: c2cWire, build: (d: object) => new C2CMessage(d as never, binding, 'e1') },
  Interaction: {
    wire: { id: 'i1', type: 11, chat_type: 1, group_openid: 'G1' },
    build: (d: object) => new Interaction(d as never, binding, 'e1'),
  },
};

const rows: { model: keyof typeof builders; field: string }[] = [
  { model: 'Message', field: 'id' },
  { model: 'Message', field: 'channel_id' },
  { model: 'Message', field: 'guild_id' },
  { model: 'DirectMessage', field: 'id' },
  { model: 'DirectMessage', field: 'guild_id' },
  { model: 'GroupMessage', field: 'id' },
  { model: 'GroupMessage', field: 'group_openid' },
  { model: 'GroupMessage', field: 'author.member_openid' },
  { model: 'C2CMessage', field: 'id' },
  { model: 'C2CMessage', field: 'author.user_openid' },
  { model: 'Interaction', field: 'id' },
];

describe('message models refuse a payload without the ids their replies need', () => {
  it.each(rows)('$model without d.$field fails with a ValidationError naming it', ({ model, field }) => {
    const { wire, build } = builders[model];
    expect(() => build(wire)).not.toThrow();
    for (const wrong of [undefined, '', 42, null]) {
      const built = (): unknown => build(withField(wire, field, wrong));
      expect(built).toThrow(ValidationError);
      expect(built).toThrow(expect.objectContaining({ field: `d.${field}` }));
    }
  });

  it('a group message without an author fails with a ValidationError, not a TypeError', () => {
    const built = (): unknown => builders.GroupMessage.build(withField(groupWire, 'author', undefined));
    expect(built).toThrow(ValidationError);
    expect(built).toThrow(/d\.author/);
    const c2c = (): unknown => builders.C2CMessage.build(withField(c2cWire, 'author', null));
    expect(c2c).toThrow(ValidationError);
  });
});
