/**
 * Route templates of every endpoint. The template, not the filled path, names a route in
 * errors, logs and rate-limit settings (`'POST /channels/{channel_id}/messages'`).
 */
export const Routes = {
  me: '/users/@me',
  myGuilds: '/users/@me/guilds',
  gateway: '/gateway',
  gatewayBot: '/gateway/bot',

  guild: '/guilds/{guild_id}',
  guildMessageSetting: '/guilds/{guild_id}/message/setting',
  guildChannels: '/guilds/{guild_id}/channels',
  channel: '/channels/{channel_id}',
  channelOnlineNums: '/channels/{channel_id}/online_nums',

  guildMembers: '/guilds/{guild_id}/members',
  guildMember: '/guilds/{guild_id}/members/{user_id}',
  roleMembers: '/guilds/{guild_id}/roles/{role_id}/members',

  guildRoles: '/guilds/{guild_id}/roles',
  guildRole: '/guilds/{guild_id}/roles/{role_id}',
  memberRole: '/guilds/{guild_id}/members/{user_id}/roles/{role_id}',

  memberPermissions: '/channels/{channel_id}/members/{user_id}/permissions',
  rolePermissions: '/channels/{channel_id}/roles/{role_id}/permissions',

  channelMessages: '/channels/{channel_id}/messages',
  channelMessage: '/channels/{channel_id}/messages/{message_id}',

  dmSessions: '/users/@me/dms',
  dmMessages: '/dms/{guild_id}/messages',
  dmMessage: '/dms/{guild_id}/messages/{message_id}',

  groupMessages: '/v2/groups/{group_openid}/messages',
  groupMessage: '/v2/groups/{group_openid}/messages/{message_id}',
  groupFiles: '/v2/groups/{group_openid}/files',
  userMessages: '/v2/users/{openid}/messages',
  userMessage: '/v2/users/{openid}/messages/{message_id}',
  userFiles: '/v2/users/{openid}/files',

  guildMute: '/guilds/{guild_id}/mute',
  memberMute: '/guilds/{guild_id}/members/{user_id}/mute',

  guildAnnounces: '/guilds/{guild_id}/announces',
  guildAnnounce: '/guilds/{guild_id}/announces/{message_id}',
  channelAnnounces: '/channels/{channel_id}/announces',
  channelAnnounce: '/channels/{channel_id}/announces/{message_id}',

  schedules: '/channels/{channel_id}/schedules',
  schedule: '/channels/{channel_id}/schedules/{schedule_id}',

  apiPermissions: '/guilds/{guild_id}/api_permission',
  apiPermissionDemand: '/guilds/{guild_id}/api_permission/demand',

  pins: '/channels/{channel_id}/pins',
  pin: '/channels/{channel_id}/pins/{message_id}',

  reaction: '/channels/{channel_id}/messages/{message_id}/reactions/{type}/{id}',

  threads: '/channels/{channel_id}/threads',
  thread: '/channels/{channel_id}/threads/{thread_id}',

  audio: '/channels/{channel_id}/audio',
  mic: '/channels/{channel_id}/mic',
  voiceMembers: '/channels/{channel_id}/voice/members',

  interaction: '/interactions/{interaction_id}',

  channelSettingGuide: '/channels/{channel_id}/settingguide',
  dmSettingGuide: '/dms/{guild_id}/settingguide',
} as const;

/** A route template of {@link Routes}. */
export type Route = (typeof Routes)[keyof typeof Routes];
