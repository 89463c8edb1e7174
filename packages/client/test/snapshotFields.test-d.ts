import { expectTypeOf, test } from 'vitest';
import type { AudioLiveChannelMember, ChannelEvent, ChannelType, GuildEvent } from '@bot/http';
import type {
  AudioChannelMember,
  Channel,
  ForumPublishAudit,
  Guild,
  MessageAudit,
  OpenForumEvent,
} from '@bot/client';
import type { RequiredFields, RequiredKeys, WireFields } from '../src/models/snapshots.js';

test('a field list names exactly the required keys of its wire type, each with a check that fits', () => {
  expectTypeOf<RequiredKeys<GuildEvent>>().toEqualTypeOf<'id' | 'name'>();
  expectTypeOf<RequiredKeys<ChannelEvent>>().toEqualTypeOf<'id' | 'guild_id' | 'name' | 'type'>();
  // @ts-expect-error a required field left out of the list
  ({ id: 'id' }) satisfies RequiredFields<GuildEvent>;
  // @ts-expect-error an optional field in the list
  ({ id: 'id', name: 'text', owner_id: 'id' }) satisfies RequiredFields<GuildEvent>;
  ({
    guild_id: 'id',
    channel_id: 'id',
    user_id: 'id',
    // @ts-expect-error a number checked as text
    channel_type: 'text',
  }) satisfies RequiredFields<AudioLiveChannelMember>;
});

test("a model's list names every field of its wire type, optional ones with a check ending in ?", () => {
  const guild = { id: 'id', name: 'text', icon: 'received?', owner_id: 'text?', owner: 'boolean?' } as const;
  const counts = { member_count: 'integer?', max_members: 'integer?' } as const;
  const rest = { description: 'text?', joined_at: 'received?', op_user_id: 'text?' } as const;
  ({ ...guild, ...counts, ...rest }) satisfies WireFields<GuildEvent>;
  // @ts-expect-error an optional field left out of the list
  ({ ...guild, ...counts }) satisfies WireFields<GuildEvent>;
  // @ts-expect-error an optional field checked as required
  ({ ...guild, ...counts, ...rest, owner_id: 'text' }) satisfies WireFields<GuildEvent>;
  // @ts-expect-error a field in no standard form (`unknown`) checked as a string
  ({ ...guild, ...counts, ...rest, icon: 'text?' }) satisfies WireFields<GuildEvent>;
  // @ts-expect-error a required field checked only when present
  ({ ...guild, ...counts, ...rest, id: 'text?' }) satisfies WireFields<GuildEvent>;
  // @ts-expect-error a flag checked as an integer
  ({ ...guild, ...counts, ...rest, owner: 'integer?' }) satisfies WireFields<GuildEvent>;
  // @ts-expect-error a field the wire type does not have
  ({ ...guild, ...counts, ...rest, banner: 'text?' }) satisfies WireFields<GuildEvent>;
});

test('the models type their required fields as the checks let them through', () => {
  expectTypeOf<Guild['id']>().toEqualTypeOf<string>();
  expectTypeOf<Guild['name']>().toEqualTypeOf<string>();
  expectTypeOf<Guild['ownerId']>().toEqualTypeOf<string | undefined>();
  expectTypeOf<Guild['owner']>().toEqualTypeOf<boolean | undefined>();
  expectTypeOf<Guild['memberCount']>().toEqualTypeOf<number | undefined>();
  // Passed on as received: the documentation warns they are in no standard form yet.
  expectTypeOf<Guild['icon']>().toEqualTypeOf<unknown>();
  expectTypeOf<Guild['joinedAt']>().toEqualTypeOf<unknown>();
  expectTypeOf<Channel['guildId']>().toEqualTypeOf<string>();
  // Any integer passes (the platform adds channel kinds), the listed ones still named.
  expectTypeOf<Channel['type']>().toEqualTypeOf<ChannelType | (number & {})>();
  expectTypeOf<number>().toMatchTypeOf<Channel['type']>();
  expectTypeOf<Channel['position']>().toEqualTypeOf<number | undefined>();
  expectTypeOf<Channel['permissions']>().toEqualTypeOf<string | undefined>();
  expectTypeOf<MessageAudit['auditTime']>().toEqualTypeOf<string>();
  expectTypeOf<MessageAudit['messageId']>().toEqualTypeOf<string | undefined>();
  expectTypeOf<AudioChannelMember['channelType']>().toEqualTypeOf<number>();
  // Forum ids: the documentation shows them as numbers too, and the model lets numbers through.
  expectTypeOf<OpenForumEvent['guildId']>().toEqualTypeOf<string | number>();
  expectTypeOf<ForumPublishAudit['authorId']>().toEqualTypeOf<string | number>();
  expectTypeOf<ForumPublishAudit['threadId']>().toEqualTypeOf<string | number | undefined>();
  // Documented, but seen missing in live traffic: optional, so a handler must handle its absence.
  expectTypeOf<ForumPublishAudit['result']>().toEqualTypeOf<number | undefined>();
  expectTypeOf<MessageAudit['createTime']>().toEqualTypeOf<string | undefined>();
});
