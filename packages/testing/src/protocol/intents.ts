/**
 * Intent bits (PROTOCOL.md §4) and the event names each one subscribes to.
 */
export const Intent = {
  GUILDS: 1 << 0,
  GUILD_MEMBERS: 1 << 1,
  GUILD_MESSAGES: 1 << 9,
  GUILD_MESSAGE_REACTIONS: 1 << 10,
  DIRECT_MESSAGE: 1 << 12,
  OPEN_FORUMS_EVENT: 1 << 18,
  AUDIO_OR_LIVE_CHANNEL_MEMBER: 1 << 19,
  ENTER_AIO: 1 << 23,
  GROUP_AND_C2C_EVENT: 1 << 25,
  INTERACTION: 1 << 26,
  MESSAGE_AUDIT: 1 << 27,
  FORUMS_EVENT: 1 << 28,
  AUDIO_ACTION: 1 << 29,
  PUBLIC_GUILD_MESSAGES: 1 << 30,
} as const;

/** Every intent bit the emulator knows, OR-ed together. */
export const ALL_INTENTS: number = Object.values(Intent).reduce((all, bit) => all | bit, 0);

/** What a new bot is granted on the platform without applying for more. */
export const DEFAULT_GRANTED_INTENTS: number =
  Intent.GUILDS | Intent.GUILD_MEMBERS | Intent.PUBLIC_GUILD_MESSAGES;

const EVENTS_BY_INTENT: ReadonlyArray<readonly [number, readonly string[]]> = [
  [
    Intent.GUILDS,
    ['GUILD_CREATE', 'GUILD_UPDATE', 'GUILD_DELETE', 'CHANNEL_CREATE', 'CHANNEL_UPDATE', 'CHANNEL_DELETE'],
  ],
  [Intent.GUILD_MEMBERS, ['GUILD_MEMBER_ADD', 'GUILD_MEMBER_UPDATE', 'GUILD_MEMBER_REMOVE']],
  [Intent.GUILD_MESSAGES, ['MESSAGE_CREATE', 'MESSAGE_DELETE']],
  [Intent.GUILD_MESSAGE_REACTIONS, ['MESSAGE_REACTION_ADD', 'MESSAGE_REACTION_REMOVE']],
  [Intent.DIRECT_MESSAGE, ['DIRECT_MESSAGE_CREATE', 'DIRECT_MESSAGE_DELETE']],
  [
    Intent.OPEN_FORUMS_EVENT,
    [
      'OPEN_FORUM_THREAD_CREATE',
      'OPEN_FORUM_THREAD_UPDATE',
      'OPEN_FORUM_THREAD_DELETE',
      'OPEN_FORUM_POST_CREATE',
      'OPEN_FORUM_POST_DELETE',
      'OPEN_FORUM_REPLY_CREATE',
      'OPEN_FORUM_REPLY_DELETE',
    ],
  ],
  [
    Intent.AUDIO_OR_LIVE_CHANNEL_MEMBER,
    ['AUDIO_OR_LIVE_CHANNEL_MEMBER_ENTER', 'AUDIO_OR_LIVE_CHANNEL_MEMBER_EXIT'],
  ],
  [Intent.ENTER_AIO, ['ENTER_AIO']],
  [
    Intent.GROUP_AND_C2C_EVENT,
    [
      'C2C_MESSAGE_CREATE',
      'FRIEND_ADD',
      'FRIEND_DEL',
      'C2C_MSG_REJECT',
      'C2C_MSG_RECEIVE',
      'GROUP_AT_MESSAGE_CREATE',
      'GROUP_ADD_ROBOT',
      'GROUP_DEL_ROBOT',
      'GROUP_MSG_REJECT',
      'GROUP_MSG_RECEIVE',
    ],
  ],
  [Intent.INTERACTION, ['INTERACTION_CREATE']],
  [Intent.MESSAGE_AUDIT, ['MESSAGE_AUDIT_PASS', 'MESSAGE_AUDIT_REJECT']],
  [
    Intent.FORUMS_EVENT,
    [
      'FORUM_THREAD_CREATE',
      'FORUM_THREAD_UPDATE',
      'FORUM_THREAD_DELETE',
      'FORUM_POST_CREATE',
      'FORUM_POST_DELETE',
      'FORUM_REPLY_CREATE',
      'FORUM_REPLY_DELETE',
      'FORUM_PUBLISH_AUDIT_RESULT',
    ],
  ],
  [Intent.AUDIO_ACTION, ['AUDIO_START', 'AUDIO_FINISH', 'AUDIO_ON_MIC', 'AUDIO_OFF_MIC']],
  [Intent.PUBLIC_GUILD_MESSAGES, ['AT_MESSAGE_CREATE', 'PUBLIC_MESSAGE_DELETE']],
];

const INTENT_BY_EVENT: ReadonlyMap<string, number> = new Map(
  EVENTS_BY_INTENT.flatMap(([bit, events]) => events.map((event) => [event, bit] as const)),
);

/**
 * The intent bit a session needs to receive `eventName`, or `undefined` for events no intent
 * gates (READY, RESUMED and names the emulator does not know, which every session receives).
 */
export function intentForEvent(eventName: string): number | undefined {
  return INTENT_BY_EVENT.get(eventName);
}
