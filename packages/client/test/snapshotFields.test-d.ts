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
import type { RequiredFields, RequiredKeys } from '../src/models/snapshots.js';

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

test('the models type their required fields as the checks let them through', () => {
  expectTypeOf<Guild['id']>().toEqualTypeOf<string>();
  expectTypeOf<Guild['name']>().toEqualTypeOf<string>();
  expectTypeOf<Guild['ownerId']>().toEqualTypeOf<string | undefined>();
  expectTypeOf<Channel['guildId']>().toEqualTypeOf<string>();
  // Any integer passes (the platform adds channel kinds), not only the listed ones.
  expectTypeOf<Channel['type']>().toEqualTypeOf<number>();
  expectTypeOf<ChannelType>().toMatchTypeOf<Channel['type']>();
  expectTypeOf<MessageAudit['auditTime']>().toEqualTypeOf<string>();
  expectTypeOf<MessageAudit['messageId']>().toEqualTypeOf<string | undefined>();
  expectTypeOf<AudioChannelMember['channelType']>().toEqualTypeOf<number>();
  // Forum ids: the documentation shows them as numbers too, and the model lets numbers through.
  expectTypeOf<OpenForumEvent['guildId']>().toEqualTypeOf<string | number>();
  expectTypeOf<ForumPublishAudit['authorId']>().toEqualTypeOf<string | number>();
  // Documented, but seen missing in live traffic: optional, so a handler must handle its absence.
  expectTypeOf<ForumPublishAudit['result']>().toEqualTypeOf<number | undefined>();
  expectTypeOf<MessageAudit['createTime']>().toEqualTypeOf<string | undefined>();
});
