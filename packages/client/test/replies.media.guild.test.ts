import { describe, expect, it } from 'vitest';
import {
  MediaFileType,
  ValidationError,
  type DirectMessage,
  type Interaction,
  type Message,
} from '@bot/client';
import { useHarness, type Harness } from './support/harness.js';

/** Guild channel and DM sends of the bot, as the emulator recorded them. */
function guildSends(
  harness: Harness,
): Array<{ route: string | null; status: number; body: unknown; type: string | undefined }> {
  return harness.emulator.recorder
    .filter(
      (r) =>
        r.kind === 'rest' &&
        r.method === 'POST' &&
        (r.path.startsWith('/channels/') || r.path.startsWith('/dms/')),
    )
    .map((r) =>
      r.kind === 'rest'
        ? { route: r.route, status: r.status, body: r.body, type: r.headers['content-type'] }
        : never(),
    );
}

function never(): never {
  throw new Error('not a REST record');
}

/** Hands each guild channel message, guild DM and interaction to the test, in arrival order. */
function inbox(): {
  handler: {
    messageCreate: (_ctx: unknown, message: Message) => void;
    directMessageCreate: (_ctx: unknown, message: DirectMessage) => void;
    interactionCreate: (_ctx: unknown, interaction: Interaction) => void;
  };
  next: <T>() => Promise<T>;
} {
  const arrived: unknown[] = [];
  const take = (_ctx: unknown, model: unknown): void => void arrived.push(model);
  return {
    handler: { messageCreate: take, directMessageCreate: take, interactionCreate: take },
    next: async <T>() => {
      await expect.poll(() => arrived.length, { timeout: 5000 }).toBeGreaterThan(0);
      return arrived.shift() as T;
    },
  };
}

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

/*
 * Scene-agnostic code calls replyMedia() on whatever it is answering. A guild channel or DM takes
 * an image, by URL (`image`) or as a multipart `file_image` (docs/protocol.md §8.10), so there a
 * media reply sends the image that way instead of throwing; other kinds of media are refused
 * before any request.
 */
describe('replyMedia() in a guild channel or DM', () => {
  const harnesses = useHarness();

  it('sends bytes as file_image and a URL as image, quoting the message and counting in its window', async () => {
    const models = inbox();
    const harness = await harnesses.start([models.handler]);
    harness.emulator.simulate.guildAtMessage({ content: 'chart please' });
    const message = await models.next<Message>();

    await message.replyMedia(PNG, { fileType: MediaFileType.Image, fileName: 'chart.png', content: 'Today' });
    await message.replyMedia(new URL('https://example.com/a.png'), { fileType: MediaFileType.Image });
    const sends = guildSends(harness);
    expect(sends.map((send) => send.status)).toEqual([200, 200]);
    expect(sends[0]!.body).toMatchObject({ content: 'Today', msg_id: message.id });
    // The image goes as a file_image part of a multipart body; the URL in a JSON body.
    expect(sends[0]!.type).toMatch(/^multipart\/form-data/);
    expect(sends[1]!.type).toMatch(/^application\/json/);
    expect(sends[1]!.body).toMatchObject({ image: 'https://example.com/a.png', msg_id: message.id });
    expect(message.replyWindow.used).toBe(2);
  });

  it('refuses a video, voice clip or file before any request, counting nothing', async () => {
    const models = inbox();
    const harness = await harnesses.start([models.handler]);
    harness.emulator.simulate.directMessage({ content: 'dm' });
    const dm = await models.next<DirectMessage>();

    const refused = await dm
      .replyMedia(PNG, { fileType: MediaFileType.Video })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ValidationError);
    expect(refused).toMatchObject({ field: 'options.fileType' });
    expect(guildSends(harness)).toEqual([]);
    expect(dm.replyWindow.used).toBe(0);

    await dm.replyMedia(PNG, { fileType: MediaFileType.Image });
    expect(guildSends(harness)).toEqual([
      expect.objectContaining({ route: 'POST /dms/{guild_id}/messages', status: 200 }),
    ]);
  });

  it('a guild interaction answers with the image by event_id instead of throwing', async () => {
    const models = inbox();
    const harness = await harnesses.start([models.handler]);
    const press = harness.emulator.simulate.interaction({
      scene: 'guild',
      buttonId: 'b',
      allowUnsentButton: true,
    });
    const interaction = await models.next<Interaction>();

    await interaction.replyMedia(new URL('https://example.com/b.png'), { fileType: MediaFileType.Image });
    expect(guildSends(harness)).toEqual([
      expect.objectContaining({
        status: 200,
        body: expect.objectContaining({ image: 'https://example.com/b.png', event_id: press.d.id }),
      }),
    ]);
  });
});
