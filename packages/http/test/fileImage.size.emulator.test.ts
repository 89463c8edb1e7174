import { describe, expect, it } from 'vitest';
import { FileImageTooLargeError, MAX_GUILD_FORM_BYTES, MessageParams, type BotApi } from '@bot/http';
import type { Emulator } from '@bot/testing';
import { useEmulatorRest } from './support/emulatorRest.js';

// A guild channel or DM message with a local image goes out as one multipart body. The platform's
// pages give no size for `file_image`; the framework keeps that body within 10 MiB, the bound the
// emulator puts on a REST body (docs/protocol.md §8.10), and refuses a larger image before any
// byte is sent, saying the limit and what to do, instead of letting a raw 413 come back.

const MiB = 1024 * 1024;

interface Scene {
  name: string;
  /** Publishes an inbound message; returns where to answer and its id. */
  inbound(emulator: Emulator): { target: string; msgId: string };
  send(api: BotApi, target: string, params: MessageParams): Promise<unknown>;
}

const scenes: Scene[] = [
  {
    name: 'guild channel',
    inbound: (emulator) => {
      const message = emulator.simulate.guildAtMessage({ content: 'chart?' });
      return { target: message.d.channel_id, msgId: message.d.id };
    },
    send: (api, channelId, params) => api.messages.send(channelId, params),
  },
  {
    name: 'guild DM',
    inbound: (emulator) => {
      const message = emulator.simulate.directMessage({ content: 'chart?' });
      return { target: message.d.guild_id, msgId: message.d.id };
    },
    send: (api, guildId, params) => api.dms.send(guildId, params),
  },
];

describe('a guild file image over the size limit', () => {
  const setup = useEmulatorRest();
  const messagePosts = () =>
    setup.emulator.recorder.filter(
      (r) => r.kind === 'rest' && r.method === 'POST' && r.path.endsWith('/messages'),
    );

  it.each(scenes)('a 10 MiB image in a $name is refused before sending', async (scene) => {
    const { target, msgId } = scene.inbound(setup.emulator);
    for (const data of [new Uint8Array(10 * MiB), new Blob([new Uint8Array(10 * MiB)])]) {
      const params = MessageParams.fileImage({ name: 'chart.png', data, contentType: 'image/png' }).withReply(
        msgId,
      );
      const error = await scene.send(setup.api, target, params).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FileImageTooLargeError);
      expect(error).toMatchObject({ kind: 'fileImageTooLarge', size: 10 * MiB, cap: MAX_GUILD_FORM_BYTES });
      const { message, maxImageBytes } = error as FileImageTooLargeError;
      expect(maxImageBytes).toBeLessThan(10 * MiB);
      expect(message).toContain('params.fileImage');
      expect(message).toContain(`${10 * MiB} bytes`);
      expect(message).toContain('10.0 MiB');
      expect(message).toContain('MessageParams.image(url)');
      expect(message).toContain(`at most ${maxImageBytes} bytes`);
    }
    expect(messagePosts()).toEqual([]);
  });

  it.each(scenes)(
    'the largest image it lets through in a $name, with text and a reference, reaches the emulator',
    async (scene) => {
      const { target, msgId } = scene.inbound(setup.emulator);
      const params = (data: Uint8Array) =>
        MessageParams.fileImage({ name: '图表 "weekly".png', data, contentType: 'image/png' })
          .withContent('line one\nline two ✓')
          .withReply(msgId);
      const refusal = await scene
        .send(setup.api, target, params(new Uint8Array(MAX_GUILD_FORM_BYTES)))
        .catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(FileImageTooLargeError);
      const largest = (refusal as FileImageTooLargeError).maxImageBytes;
      await expect(scene.send(setup.api, target, params(new Uint8Array(largest)))).resolves.toBeDefined();
      await expect(scene.send(setup.api, target, params(new Uint8Array(largest + 1)))).rejects.toBeInstanceOf(
        FileImageTooLargeError,
      );
      expect(messagePosts()).toHaveLength(1);
    },
  );
});
