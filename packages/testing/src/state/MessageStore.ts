import type { Message } from '../protocol/wire.js';

/** The four places a message can live: guild channels, guild DMs, groups and C2C chats. */
export type Scene = 'guild' | 'dm' | 'group' | 'c2c';

/** A message sent by a simulated user or by the bot. */
export interface StoredMessage {
  id: string;
  scene: Scene;
  /** Channel id (guild), DM guild id (dm), group openid (group) or user openid (c2c). */
  target: string;
  fromBot: boolean;
  /** Unix milliseconds. */
  createdAt: number;
  content: string;
  /** The wire message for guild and DM messages. */
  wire?: Message;
  /** The keyboard a bot message carries (as sent, or as last edited): what a simulated press may name. */
  keyboard?: unknown;
}

/** An emoji reaction key as the reaction routes address it. */
export interface ReactionKey {
  channelId: string;
  messageId: string;
  emojiType: number;
  emojiId: string;
}

/**
 * Every message the emulator knows, with channel pins and reactions.
 */
export class MessageStore {
  readonly #messages = new Map<string, StoredMessage>();
  readonly #pins = new Map<string, string[]>();
  readonly #reactions = new Map<string, string[]>();
  readonly #seqInChannel = new Map<string, number>();

  /** Stores a message. */
  add(message: StoredMessage): void {
    this.#messages.set(message.id, message);
  }

  /** A message by id, if it exists and lives in `scene`/`target`. */
  find(id: string, scene?: Scene, target?: string): StoredMessage | undefined {
    const message = this.#messages.get(id);
    if (!message) return undefined;
    if (scene !== undefined && message.scene !== scene) return undefined;
    if (target !== undefined && message.target !== target) return undefined;
    return message;
  }

  /** The messages of one conversation, oldest first: what a test counts to see what was posted. */
  inConversation(scene: Scene, target: string): StoredMessage[] {
    return [...this.#messages.values()].filter((m) => m.scene === scene && m.target === target);
  }

  /** Removes a message and its pin. */
  delete(id: string): void {
    const message = this.#messages.get(id);
    this.#messages.delete(id);
    if (message) this.unpin(message.target, id);
  }

  /** The next per-channel sequence number (`seq_in_channel`). */
  nextSeqInChannel(channelId: string): number {
    const next = (this.#seqInChannel.get(channelId) ?? 0) + 1;
    this.#seqInChannel.set(channelId, next);
    return next;
  }

  /** Pinned message ids of a channel, oldest first. */
  pins(channelId: string): string[] {
    return [...(this.#pins.get(channelId) ?? [])];
  }

  /** Pins a message; pinning twice keeps one entry. */
  pin(channelId: string, messageId: string): void {
    const pins = this.#pins.get(channelId) ?? [];
    if (!pins.includes(messageId)) pins.push(messageId);
    this.#pins.set(channelId, pins);
  }

  /** Unpins a message (`all` clears the channel). */
  unpin(channelId: string, messageId: string): void {
    if (messageId === 'all') {
      this.#pins.delete(channelId);
      return;
    }
    const pins = this.#pins.get(channelId);
    if (pins)
      this.#pins.set(
        channelId,
        pins.filter((id) => id !== messageId),
      );
  }

  /** The users who reacted with one emoji, in reaction order. */
  reactionUsers(key: ReactionKey): string[] {
    return [...(this.#reactions.get(reactionKey(key)) ?? [])];
  }

  /** Adds a user's reaction; returns false when it was already there. */
  addReaction(key: ReactionKey, userId: string): boolean {
    const users = this.#reactions.get(reactionKey(key)) ?? [];
    if (users.includes(userId)) return false;
    users.push(userId);
    this.#reactions.set(reactionKey(key), users);
    return true;
  }

  /** Removes a user's reaction; returns false when there was none. */
  removeReaction(key: ReactionKey, userId: string): boolean {
    const users = this.#reactions.get(reactionKey(key));
    if (!users?.includes(userId)) return false;
    this.#reactions.set(
      reactionKey(key),
      users.filter((id) => id !== userId),
    );
    return true;
  }
}

function reactionKey(key: ReactionKey): string {
  return `${key.channelId}:${key.messageId}:${key.emojiType}:${key.emojiId}`;
}
