import { ValidationError } from '../errors/ValidationError.js';

/** Named intent bits of the platform; each subscribes the bot to a family of events. */
export const IntentFlags = {
  /** Guild and channel lifecycle: `GUILD_*`, `CHANNEL_*`. Granted by default. */
  GUILDS: 1 << 0,
  /** Member lifecycle: `GUILD_MEMBER_*`. Granted by default. */
  GUILD_MEMBERS: 1 << 1,
  /** Every guild message (`MESSAGE_CREATE`, `MESSAGE_DELETE`); private-domain bots only. */
  GUILD_MESSAGES: 1 << 9,
  /** `MESSAGE_REACTION_ADD/REMOVE`. */
  GUILD_MESSAGE_REACTIONS: 1 << 10,
  /** Guild direct messages: `DIRECT_MESSAGE_CREATE/DELETE`. */
  DIRECT_MESSAGE: 1 << 12,
  /** Public-domain forum events: `OPEN_FORUM_*`. */
  OPEN_FORUMS_EVENT: 1 << 18,
  /** `AUDIO_OR_LIVE_CHANNEL_MEMBER_ENTER/EXIT`. */
  AUDIO_OR_LIVE_CHANNEL_MEMBER: 1 << 19,
  /** `ENTER_AIO`: a user opened the chat with the bot. Seen in the field, not in the documentation. */
  ENTER_AIO: 1 << 23,
  /** Groups and C2C chats: messages, friend and group-robot events. */
  GROUP_AND_C2C_EVENT: 1 << 25,
  /** Button interactions: `INTERACTION_CREATE`. */
  INTERACTION: 1 << 26,
  /** Audit results: `MESSAGE_AUDIT_PASS/REJECT`. */
  MESSAGE_AUDIT: 1 << 27,
  /** Forum events: `FORUM_*`; private-domain bots only. */
  FORUMS_EVENT: 1 << 28,
  /** Audio playback and microphone events: `AUDIO_*`. */
  AUDIO_ACTION: 1 << 29,
  /** Messages that mention the bot in guild channels (`AT_MESSAGE_CREATE`, `PUBLIC_MESSAGE_DELETE`). Granted by default. */
  PUBLIC_GUILD_MESSAGES: 1 << 30,
} as const;

/** Name of an intent bit. */
export type IntentName = keyof typeof IntentFlags;

const ALL_BITS = Object.values(IntentFlags).reduce((all, bit) => (all | bit) >>> 0, 0);
const DEFAULT_BITS =
  (IntentFlags.GUILDS | IntentFlags.GUILD_MEMBERS | IntentFlags.PUBLIC_GUILD_MESSAGES) >>> 0;

/**
 * The set of event families a bot subscribes to, sent in Identify. Immutable: every method returns
 * a new set.
 *
 * ```ts
 * const intents = Intents.default().withGroupAndC2cEvent().withDirectMessage();
 * intents.has(Intents.PUBLIC_GUILD_MESSAGES); // true
 * ```
 *
 * Asking for an intent the bot has not been granted makes the platform close the connection with
 * 4014, so stay with what the bot's console page lists.
 */
export class Intents {
  /** See {@link IntentFlags.GUILDS}. */
  public static readonly GUILDS = IntentFlags.GUILDS;
  /** See {@link IntentFlags.GUILD_MEMBERS}. */
  public static readonly GUILD_MEMBERS = IntentFlags.GUILD_MEMBERS;
  /** See {@link IntentFlags.GUILD_MESSAGES}. */
  public static readonly GUILD_MESSAGES = IntentFlags.GUILD_MESSAGES;
  /** See {@link IntentFlags.GUILD_MESSAGE_REACTIONS}. */
  public static readonly GUILD_MESSAGE_REACTIONS = IntentFlags.GUILD_MESSAGE_REACTIONS;
  /** See {@link IntentFlags.DIRECT_MESSAGE}. */
  public static readonly DIRECT_MESSAGE = IntentFlags.DIRECT_MESSAGE;
  /** See {@link IntentFlags.OPEN_FORUMS_EVENT}. */
  public static readonly OPEN_FORUMS_EVENT = IntentFlags.OPEN_FORUMS_EVENT;
  /** See {@link IntentFlags.AUDIO_OR_LIVE_CHANNEL_MEMBER}. */
  public static readonly AUDIO_OR_LIVE_CHANNEL_MEMBER = IntentFlags.AUDIO_OR_LIVE_CHANNEL_MEMBER;
  /** See {@link IntentFlags.ENTER_AIO}. */
  public static readonly ENTER_AIO = IntentFlags.ENTER_AIO;
  /** See {@link IntentFlags.GROUP_AND_C2C_EVENT}. */
  public static readonly GROUP_AND_C2C_EVENT = IntentFlags.GROUP_AND_C2C_EVENT;
  /** See {@link IntentFlags.INTERACTION}. */
  public static readonly INTERACTION = IntentFlags.INTERACTION;
  /** See {@link IntentFlags.MESSAGE_AUDIT}. */
  public static readonly MESSAGE_AUDIT = IntentFlags.MESSAGE_AUDIT;
  /** See {@link IntentFlags.FORUMS_EVENT}. */
  public static readonly FORUMS_EVENT = IntentFlags.FORUMS_EVENT;
  /** See {@link IntentFlags.AUDIO_ACTION}. */
  public static readonly AUDIO_ACTION = IntentFlags.AUDIO_ACTION;
  /** See {@link IntentFlags.PUBLIC_GUILD_MESSAGES}. */
  public static readonly PUBLIC_GUILD_MESSAGES = IntentFlags.PUBLIC_GUILD_MESSAGES;

  /** The bits, as sent in Identify. */
  public readonly bits: number;

  /**
   * @param bits - a bit set made of {@link IntentFlags}
   * @throws {@link ValidationError} when `bits` is not a non-negative integer made of known intents
   */
  public constructor(bits = 0) {
    if (!Number.isInteger(bits) || bits < 0 || bits > 0xffffffff) {
      throw new ValidationError('intents', `must be a non-negative 32-bit integer, got ${String(bits)}`);
    }
    const unknown = (bits & ~ALL_BITS) >>> 0;
    if (unknown !== 0)
      throw new ValidationError('intents', `contains unknown bits 0x${unknown.toString(16)}`);
    this.bits = bits >>> 0;
  }

  /** The intents every bot is granted: GUILDS, GUILD_MEMBERS and PUBLIC_GUILD_MESSAGES. */
  public static default(): Intents {
    return new Intents(DEFAULT_BITS);
  }

  /** No intents. */
  public static none(): Intents {
    return new Intents(0);
  }

  /** Every intent the platform defines (most bots are not granted all of them). */
  public static all(): Intents {
    return new Intents(ALL_BITS);
  }

  /**
   * Builds a set from intent names.
   *
   * @param names - names such as `'GUILDS'`, `'GROUP_AND_C2C_EVENT'`
   * @throws {@link ValidationError} (`intents`) naming a name that is no intent: one read from a
   *   configuration file, or misspelt in JavaScript, would otherwise drop its intent in silence
   */
  public static of(...names: IntentName[]): Intents {
    let bits = 0;
    for (const name of names) {
      if (typeof name !== 'string' || !Object.hasOwn(IntentFlags, name)) {
        throw new ValidationError(
          'intents',
          `has no intent named ${JSON.stringify(name) ?? String(name)}; the names are ${Object.keys(IntentFlags).join(', ')}`,
        );
      }
      bits = (bits | IntentFlags[name]) >>> 0;
    }
    return new Intents(bits);
  }

  /**
   * The name of one intent bit, for messages: `Intents.nameOf(1 << 25)` is `'GROUP_AND_C2C_EVENT'`.
   *
   * @param bit - a single bit
   * @returns its name, or `undefined` for a bit the platform does not define
   */
  public static nameOf(bit: number): IntentName | undefined {
    return (Object.keys(IntentFlags) as IntentName[]).find((name) => IntentFlags[name] === bit);
  }

  /** Normalises a number or an {@link Intents} to an {@link Intents}. */
  public static from(value: Intents | number): Intents {
    return value instanceof Intents ? value : new Intents(value);
  }

  /** Whether every bit of `other` is in this set. */
  public has(other: Intents | number): boolean {
    const bits = Intents.from(other).bits;
    return (this.bits & bits) >>> 0 === bits;
  }

  /** This set plus `other`. */
  public add(other: Intents | number): Intents {
    return new Intents((this.bits | Intents.from(other).bits) >>> 0);
  }

  /** This set without `other`. */
  public remove(other: Intents | number): Intents {
    return new Intents((this.bits & ~Intents.from(other).bits) >>> 0);
  }

  /** Names of the intents in this set. */
  public names(): IntentName[] {
    return (Object.keys(IntentFlags) as IntentName[]).filter((name) => (this.bits & IntentFlags[name]) !== 0);
  }

  /** Adds GUILDS. */
  public withGuilds(): Intents {
    return this.add(IntentFlags.GUILDS);
  }
  /** Adds GUILD_MEMBERS. */
  public withGuildMembers(): Intents {
    return this.add(IntentFlags.GUILD_MEMBERS);
  }
  /** Adds GUILD_MESSAGES (private-domain bots only). */
  public withGuildMessages(): Intents {
    return this.add(IntentFlags.GUILD_MESSAGES);
  }
  /** Adds GUILD_MESSAGE_REACTIONS. */
  public withGuildMessageReactions(): Intents {
    return this.add(IntentFlags.GUILD_MESSAGE_REACTIONS);
  }
  /** Adds DIRECT_MESSAGE. */
  public withDirectMessage(): Intents {
    return this.add(IntentFlags.DIRECT_MESSAGE);
  }
  /** Adds OPEN_FORUMS_EVENT. */
  public withOpenForumsEvent(): Intents {
    return this.add(IntentFlags.OPEN_FORUMS_EVENT);
  }
  /** Adds AUDIO_OR_LIVE_CHANNEL_MEMBER. */
  public withAudioOrLiveChannelMember(): Intents {
    return this.add(IntentFlags.AUDIO_OR_LIVE_CHANNEL_MEMBER);
  }
  /** Adds ENTER_AIO (field-observed; events reach raw handlers). */
  public withEnterAio(): Intents {
    return this.add(IntentFlags.ENTER_AIO);
  }
  /** Adds GROUP_AND_C2C_EVENT (group and C2C messages, friend and group-robot events). */
  public withGroupAndC2cEvent(): Intents {
    return this.add(IntentFlags.GROUP_AND_C2C_EVENT);
  }
  /** Adds INTERACTION. */
  public withInteraction(): Intents {
    return this.add(IntentFlags.INTERACTION);
  }
  /** Adds MESSAGE_AUDIT. */
  public withMessageAudit(): Intents {
    return this.add(IntentFlags.MESSAGE_AUDIT);
  }
  /** Adds FORUMS_EVENT (private-domain bots only). */
  public withForumsEvent(): Intents {
    return this.add(IntentFlags.FORUMS_EVENT);
  }
  /** Adds AUDIO_ACTION. */
  public withAudioAction(): Intents {
    return this.add(IntentFlags.AUDIO_ACTION);
  }
  /** Adds PUBLIC_GUILD_MESSAGES. */
  public withPublicGuildMessages(): Intents {
    return this.add(IntentFlags.PUBLIC_GUILD_MESSAGES);
  }

  /** `Intents(GUILDS | PUBLIC_GUILD_MESSAGES)`. */
  public toString(): string {
    return `Intents(${this.names().join(' | ') || 'none'})`;
  }

  /** The bits, so `JSON.stringify` and arithmetic see a number. */
  public valueOf(): number {
    return this.bits;
  }
}
