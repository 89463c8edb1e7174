import { EmulatorError, SEED, type Emulator } from '@bot/testing';

/** The three places a QQ bot is talked to. */
export type SceneKind = 'guild' | 'group' | 'c2c';

/** What publishing a simulated message returns: the ids a reply quotes. */
export interface SentMessage {
  /** The inbound message id; the bot's replies carry it as `msg_id`. */
  messageId: string;
  /** The id of the event that carried it. */
  eventId: string;
}

/** A place in the emulator where one simulated user talks to the bot. */
export interface Scene {
  readonly kind: SceneKind;
  /** `guild #general`, `group Book Club`, `c2c Judy`. */
  readonly label: string;
  /** The simulated user who speaks. */
  readonly speaker: string;
  /** The event the bot receives for each message (`AT_MESSAGE_CREATE`, …). */
  readonly event: string;
  /** Publishes `text` as that user's message (an @-mention of the bot in guilds). */
  send(text: string): SentMessage;
}

/** Which guild channel a {@link guildScene} is in. */
export interface GuildSceneOptions {
  /** The guild (the emulator's first guild, Emulator Hall, by default). */
  guildId?: string | undefined;
  /** Channel name, or its start, case-insensitive (`general` by default). */
  channel?: string | undefined;
}

/**
 * A text channel of a guild, with a member speaking (Alice where she is one).
 *
 * @param emulator - the emulator to publish in
 * @param options - guild and channel
 * @throws {@link EmulatorError} when the guild has no such text channel
 */
export function guildScene(emulator: Emulator, options: GuildSceneOptions = {}): Scene {
  const { world } = emulator;
  const guildId = options.guildId ?? world.defaults.guildId;
  const channelName = options.channel ?? 'general';
  const textChannels = world.guilds.channelsOf(guildId).filter((candidate) => candidate.type === 0);
  const channel = textChannels.find((candidate) => startsWithIgnoringCase(candidate.name, channelName));
  if (!channel) {
    // Named, with the names that would work: the playground prints this as it is.
    const guildName = world.guilds.guild(guildId)?.name ?? `guild ${guildId}`;
    const names = textChannels.map((candidate) => `#${candidate.name}`).join(', ');
    throw new EmulatorError(
      `${guildName} has no text channel named "${channelName}" (its text channels: ${names || 'none'})`,
    );
  }
  const authorId = world.guilds.memberRecord(guildId, world.defaults.userId)
    ? world.defaults.userId
    : world.guilds.memberRecords(guildId).find((member) => member.userId !== world.bot.id)?.userId;
  if (authorId === undefined) throw new EmulatorError(`guild ${guildId} has no member to speak`);
  return {
    kind: 'guild',
    event: 'AT_MESSAGE_CREATE',
    label: `guild #${channel.name}`,
    speaker: world.guilds.user(authorId)?.username ?? authorId,
    send: (content) => sent(emulator.simulate.guildAtMessage({ content, channelId: channel.id, authorId })),
  };
}

/**
 * A group of the emulator, its first member speaking.
 *
 * @param emulator - the emulator to publish in
 * @param groupName - group name, or its start, case-insensitive (`Book Club` by default)
 * @throws {@link EmulatorError} when no group the bot is in matches
 */
export function groupScene(emulator: Emulator, groupName = 'Book Club'): Scene {
  const group = [...emulator.world.open.groups.values()].find(
    (candidate) => candidate.botPresent && startsWithIgnoringCase(candidate.name, groupName),
  );
  if (!group) throw new EmulatorError(`the bot is in no group named "${groupName}"`);
  const memberOpenid = group.memberOpenids[0];
  if (memberOpenid === undefined) throw new EmulatorError(`group "${group.name}" has no members`);
  return {
    kind: 'group',
    event: 'GROUP_AT_MESSAGE_CREATE',
    label: `group ${group.name}`,
    speaker: memberName(memberOpenid),
    send: (content) =>
      sent(emulator.simulate.groupAtMessage({ content, groupOpenid: group.groupOpenid, memberOpenid })),
  };
}

/**
 * A one-to-one chat with a user of the emulator.
 *
 * @param emulator - the emulator to publish in
 * @param userName - user name, or its start, case-insensitive (`Judy` by default)
 * @throws {@link EmulatorError} when no user who has added the bot matches
 */
export function c2cScene(emulator: Emulator, userName = 'Judy'): Scene {
  const user = [...emulator.world.open.users.values()].find(
    (candidate) => candidate.friend && startsWithIgnoringCase(candidate.name, userName),
  );
  if (!user) throw new EmulatorError(`no user named "${userName}" has added the bot`);
  return {
    kind: 'c2c',
    event: 'C2C_MESSAGE_CREATE',
    label: `c2c ${user.name}`,
    speaker: user.name,
    send: (content) => sent(emulator.simulate.c2cMessage({ content, userOpenid: user.userOpenid })),
  };
}

function sent(event: { id: string; d: { id: string } }): SentMessage {
  return { messageId: event.d.id, eventId: event.id };
}

/** Group members have only openids on the wire; the seed world names its members, so use those names. */
function memberName(openid: string): string {
  const named = Object.entries(SEED.groupMembers).find(([, id]) => id === openid);
  return named ? capitalize(named[0]) : `member ${openid.slice(0, 6)}`;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function startsWithIgnoringCase(name: string, prefix: string): boolean {
  return name.toLowerCase().startsWith(prefix.trim().toLowerCase());
}
