import { describe, expect, it } from 'vitest';
import { type BotApi, MessageParams, type RateLimitedEvent } from '@bot/http';
import type { Emulator } from '@bot/testing';
import { useEmulatorRest } from './support/emulatorRest.js';

// The client's own pacing against the emulator's per-channel limit, which counts sends on their
// arrival as the platform does (docs/protocol.md §8.6, §10): a burst of replies to one channel or
// DM must never meet the platform's "no" (429, code 22009), whatever the requests' transit times.

const BURST = 12;

/** A conversation the burst goes to: its route, its inbound messages and how to answer one. */
interface Scene {
  name: string;
  route: string;
  conversation: 'guild' | 'dm';
  /** Publishes `count` inbound messages of one conversation; returns its id and their ids. */
  inbound(emulator: Emulator, count: number): { target: string; messageIds: string[] };
  reply(api: BotApi, target: string, messageId: string, text: string): Promise<unknown>;
}

const scenes: Scene[] = [
  {
    name: 'guild channel',
    route: 'POST /channels/{channel_id}/messages',
    conversation: 'guild',
    inbound: (emulator, count) => {
      const messages = Array.from({ length: count }, (_, i) =>
        emulator.simulate.guildAtMessage({ content: `question ${i}` }),
      );
      return { target: messages[0]!.d.channel_id, messageIds: messages.map((m) => m.d.id) };
    },
    reply: (api, channelId, messageId, text) =>
      api.messages.send(channelId, MessageParams.text(text).withReply(messageId)),
  },
  {
    name: 'guild DM',
    route: 'POST /dms/{guild_id}/messages',
    conversation: 'dm',
    inbound: (emulator, count) => {
      const messages = Array.from({ length: count }, (_, i) =>
        emulator.simulate.directMessage({ content: `question ${i}` }),
      );
      return { target: messages[0]!.d.guild_id, messageIds: messages.map((m) => m.d.id) };
    },
    reply: (api, guildId, messageId, text) =>
      api.dms.send(guildId, MessageParams.text(text).withReply(messageId)),
  },
];

describe('message pacing against the emulator', () => {
  const setup = useEmulatorRest();

  it.each(scenes)(
    `sends ${BURST} concurrent replies in one $name without the emulator ever answering 429`,
    async (scene) => {
      const { target, messageIds } = scene.inbound(setup.emulator, BURST);
      const limited: RateLimitedEvent[] = [];
      setup.rest.on('rateLimited', (event) => limited.push(event));

      await Promise.all(
        messageIds.map((messageId, i) => scene.reply(setup.api, target, messageId, `answer ${i}`)),
      );

      const answers = setup.emulator.recorder.records.flatMap((record) =>
        record.kind === 'rest' && record.route === scene.route ? [record.status] : [],
      );
      expect(answers).toEqual(Array.from({ length: BURST }, () => 200));
      expect(limited).toEqual([]);
      const posted = setup.emulator.world.messages
        .inConversation(scene.conversation, target)
        .filter((m) => m.fromBot);
      expect(posted).toHaveLength(BURST);
    },
  );
});
