import { Emulator, SEED } from '@bot/testing';

/**
 * The dispatches every ingest contender receives: a mix of what a busy public bot sees, shaped
 * by the emulator's simulations (so payloads look like the platform's), then numbered and
 * serialised once. Every contender gets the same bytes.
 */

/** One dispatch as the emulator publishes it, before it is numbered. */
interface Template {
  id: string;
  t: string;
  d: object;
}

/** A stream of serialised dispatch payloads. */
export interface DispatchStream {
  /** Serialised payloads `{op: 0, s, t, id, d}` (no `s` for webhook bodies), in order. */
  frames: string[];
  /** How many frames of each event name the stream holds. */
  byEvent: Record<string, number>;
  /** Mean frame size in bytes. */
  meanBytes: number;
}

/**
 * One cycle of the mix, 20 dispatches: 6 guild @-messages, 5 group @-messages, 4 C2C messages,
 * 3 member events and 2 button interactions, interleaved as they would arrive. The buttons are
 * clicked in a group and a C2C chat: `qq-official-bot` 1.0.13 drops guild-scene interactions (it
 * reads `data.resoloved`), and a contender that never sees an event could not finish a round.
 */
function cycle(emulator: Emulator): Template[] {
  const simulate = emulator.simulate;
  const { users, groups, groupMembers, c2cUsers, channels, guilds } = SEED;
  const guildAt = (content: string, authorId: string, channelId: string = channels.hallGeneral) =>
    simulate.guildAtMessage({ content, authorId, channelId });
  const group = (content: string, memberOpenid: string = groupMembers.erin) =>
    simulate.groupAtMessage({ content, groupOpenid: groups.bookClub, memberOpenid });
  const c2c = (content: string, userOpenid: string) => simulate.c2cMessage({ content, userOpenid });
  const joined = simulate.memberJoin({ guildId: guilds[0], username: 'newcomer' });
  const newcomer = joined.d.user?.id;
  if (newcomer === undefined) throw new Error('the emulator published GUILD_MEMBER_ADD without a user');
  const left = simulate.memberLeave({ guildId: guilds[0], userId: newcomer });
  const joinedLounge = simulate.memberJoin({ guildId: guilds[1], username: 'lurker' });
  return [
    guildAt('/help', users.alice),
    group('今天天气怎么样？'),
    c2c('hi, can you remind me about the meeting at 8?', c2cUsers.judy),
    guildAt('what is the schedule for saturday night raids? I can only make it after 9', users.bob),
    group('/roll 2d6', groupMembers.frank),
    joined,
    guildAt('/rank', users.carol, channels.loungeGeneral),
    c2c('thanks!', c2cUsers.mallory),
    simulate.interaction({
      scene: 'group',
      buttonId: 'vote-yes',
      buttonData: 'poll:42:yes',
      allowUnsentButton: true,
    }),
    group('who is reading chapter 7 this week? I have notes to share with everyone before sunday'),
    guildAt('/weather shanghai', users.dave, channels.studyGeneral),
    c2c('帮我查一下明天的航班', c2cUsers.judy),
    joinedLounge,
    guildAt('@everyone please read the pinned announcement before posting in this channel', users.alice),
    group('/quote', groupMembers.frank),
    c2c('/subscribe news', c2cUsers.mallory),
    simulate.interaction({
      scene: 'c2c',
      buttonId: 'ticket-open',
      buttonData: 'support',
      allowUnsentButton: true,
    }),
    guildAt('ok', users.carol, channels.studyGeneral),
    group('+1'),
    left,
  ];
}

/**
 * Builds `count` dispatch payloads from the mix, each with an event id (and, where the event has
 * one, a message or interaction id) of its own, so no contender can drop any of them as a repeat.
 *
 * @param count - payloads to build
 * @param firstSeq - `s` of the first gateway frame (READY takes 1); omit it for webhook bodies,
 *   which carry no sequence number
 */
export async function buildDispatchStream(count: number, firstSeq?: number): Promise<DispatchStream> {
  const emulator = await Emulator.start({ recordLimit: 100 });
  let templates: Template[];
  try {
    templates = cycle(emulator);
  } finally {
    await emulator.stop();
  }
  const frames: string[] = [];
  const byEvent: Record<string, number> = {};
  let bytes = 0;
  for (let index = 0; index < count; index++) {
    const template = templates[index % templates.length]!;
    const suffix = index.toString(36);
    const d = 'id' in template.d ? { ...template.d, id: `${String(template.d.id)}.${suffix}` } : template.d;
    const s = firstSeq === undefined ? undefined : firstSeq + index;
    const frame = JSON.stringify({ op: 0, s, t: template.t, id: `${template.id}.${suffix}`, d });
    frames.push(frame);
    byEvent[template.t] = (byEvent[template.t] ?? 0) + 1;
    bytes += Buffer.byteLength(frame);
  }
  return { frames, byEvent, meanBytes: bytes / Math.max(1, count) };
}
