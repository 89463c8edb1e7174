import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  EventReplyError,
  MediaFileType,
  MediaUploadError,
  ReplyWindowClosedError,
  ValidationError,
  type C2CMessage,
  type GroupMessage,
  type Interaction,
} from '@bot/client';
import type { EmulatorRecord } from '@bot/testing';
import { useHarness, type Harness } from './support/harness.js';
import { C2C_FILES, C2C_SEND, GROUP_FILES, GROUP_SEND, IMAGE, PNG } from './support/mediaRoutes.js';
import { capture } from './support/replyCapture.js';

const THIS_FILE = fileURLToPath(import.meta.url);
/** The bot's POSTs the emulator recorded, as `[route, path, status, body]`. */
function posts(harness: Harness): Array<[string | null, string, number, Record<string, unknown>]> {
  return harness.emulator.recorder
    .filter((r): r is Extract<EmulatorRecord, { kind: 'rest' }> => r.kind === 'rest' && r.method === 'POST')
    .map((r) => [r.route, r.path, r.status, r.body as Record<string, unknown>]);
}

/** The `file_info` an upload was answered with, read from the recorded answer. */
function uploadedFileInfo(harness: Harness, route: string): string | undefined {
  const [upload] = harness.emulator.recorder.filter((r) => r.kind === 'rest' && r.route === route);
  return upload?.kind === 'rest'
    ? (upload.response as { file_info?: string } | undefined)?.file_info
    : undefined;
}

describe('media replies through the emulator', () => {
  const harnesses = useHarness();

  it('uploads to the group, then replies with msg_id and the next msg_seq', async () => {
    const { handler, next } = capture();
    const harness = await harnesses.start([handler]);
    const event = harness.emulator.simulate.groupAtMessage({ content: 'chart' });
    const message = (await next()) as GroupMessage;
    expect(message.scene).toBe('group');

    await message.reply('here it comes');
    const media = message.replyMedia(PNG, { ...IMAGE, content: 'a dot' });
    // Counted from the call, so replies made during the upload cannot overbook the window.
    expect(message.replyWindow.used).toBe(2);
    await media;

    const fileInfo = uploadedFileInfo(harness, GROUP_FILES);
    expect(fileInfo).toEqual(expect.any(String));
    expect(posts(harness)).toEqual([
      [
        GROUP_SEND,
        `/v2/groups/${message.groupOpenid}/messages`,
        200,
        expect.objectContaining({ msg_seq: 1 }),
      ],
      [
        GROUP_FILES,
        `/v2/groups/${message.groupOpenid}/files`,
        200,
        expect.objectContaining({ file_type: 1 }),
      ],
      [
        GROUP_SEND,
        `/v2/groups/${message.groupOpenid}/messages`,
        200,
        expect.objectContaining({
          msg_type: 7,
          content: 'a dot',
          media: { file_info: fileInfo },
          msg_id: event.d.id,
          msg_seq: 2,
        }),
      ],
    ]);
    expect(message.replyWindow.used).toBe(2);
  });

  it("uploads to the sender's C2C chat, reusing the file_info of the same bytes on a second reply", async () => {
    const { handler, next } = capture();
    const harness = await harnesses.start([handler]);
    const event = harness.emulator.simulate.c2cMessage({ content: 'pic' });
    const message = (await next()) as C2CMessage;
    expect(message.scene).toBe('c2c');

    await message.replyMedia(PNG, IMAGE);
    await message.replyMedia(PNG, IMAGE);

    const fileInfo = uploadedFileInfo(harness, C2C_FILES);
    const path = `/v2/users/${message.author.userOpenid}`;
    const media = (msgSeq: number): unknown =>
      expect.objectContaining({
        msg_type: 7,
        media: { file_info: fileInfo },
        msg_id: event.d.id,
        msg_seq: msgSeq,
      });
    expect(posts(harness)).toEqual([
      [C2C_FILES, `${path}/files`, 200, expect.objectContaining({ file_type: 1 })],
      [C2C_SEND, `${path}/messages`, 200, media(1)],
      [C2C_SEND, `${path}/messages`, 200, media(2)],
    ]);
  });

  it('rejects with the typed refusal of a failed upload, at the caller’s line, sending nothing and using no msg_seq', async () => {
    const { handler, next } = capture();
    const harness = await harnesses.start([handler]);
    const event = harness.emulator.simulate.groupAtMessage({ content: 'chart' });
    const message = (await next()) as GroupMessage;
    harness.emulator.faults.failRoute(GROUP_FILES, { status: 400, code: 850026, message: 'upload refused' });

    const refused = await message.replyMedia(PNG, IMAGE).catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(MediaUploadError);
    expect(refused).toMatchObject({ stage: 'plain', code: 850026 });
    expect((refused as MediaUploadError).cause).toBeInstanceOf(ApiError);
    // Its stack reaches the code that called replyMedia, past the upload's own frames.
    expect((refused as Error).stack).toContain(`${THIS_FILE}:`);
    expect(message.replyWindow.used).toBe(0);
    await message.reply('without the picture');
    expect(posts(harness)).toEqual([
      [GROUP_FILES, expect.any(String), 400, expect.anything()],
      [GROUP_SEND, expect.any(String), 200, expect.objectContaining({ msg_id: event.d.id, msg_seq: 1 })],
    ]);
  });

  it('refuses a closed window before uploading, as reply() does', async () => {
    const { handler, next } = capture();
    const harness = await harnesses.start([handler]);
    harness.emulator.simulate.groupAtMessage({ content: 'chart' });
    const message = (await next()) as GroupMessage;
    for (let i = 1; i <= 5; i++) await message.reply(`reply ${i}`);

    const closed = await message.replyMedia(PNG, IMAGE).catch((error: unknown) => error);

    expect(closed).toBeInstanceOf(ReplyWindowClosedError);
    expect((closed as ReplyWindowClosedError).reason).toBe('exhausted');
    expect(posts(harness).filter(([route]) => route === GROUP_FILES)).toEqual([]);
  });

  it('answers a group interaction with media quoting its event_id, and refuses a video to a guild one before any request', async () => {
    const { handler, next } = capture();
    const harness = await harnesses.start([handler]);
    const click = harness.emulator.simulate.interaction({
      scene: 'group',
      buttonId: 'b',
      allowUnsentButton: true,
    });
    const inGroup = (await next()) as Interaction;
    await inGroup.replyMedia(PNG, IMAGE);
    const fileInfo = uploadedFileInfo(harness, GROUP_FILES);
    expect(posts(harness)).toEqual([
      [GROUP_FILES, `/v2/groups/${click.d.group_openid}/files`, 200, expect.anything()],
      [
        GROUP_SEND,
        `/v2/groups/${click.d.group_openid}/messages`,
        200,
        expect.objectContaining({
          msg_type: 7,
          media: { file_info: fileInfo },
          event_id: click.d.id,
          msg_seq: 1,
        }),
      ],
    ]);

    harness.emulator.simulate.interaction({ scene: 'guild', buttonId: 'b', allowUnsentButton: true });
    const inGuild = (await next()) as Interaction;
    // A guild channel takes images only (replies.media.guild.test sends one there).
    const refused = await inGuild
      .replyMedia(PNG, { ...IMAGE, fileType: MediaFileType.Video })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).field).toBe('options.fileType');
    expect(posts(harness)).toHaveLength(2);
  });
  it('greets a group the bot joins and a user who adds it with media, and refuses a removal before uploading', async () => {
    const outcomes: unknown[] = [];
    let allDone!: () => void;
    const done = new Promise<void>((resolve) => (allDone = resolve));
    const record = (outcome: unknown): void => {
      if (outcomes.push(outcome) === 3) allDone();
    };
    const settled = (call: Promise<unknown>): Promise<void> =>
      call.then(record, (error: unknown) => record(error));
    const harness = await harnesses.start([
      {
        groupAddRobot: (_ctx, event) => settled(event.replyMedia(PNG, IMAGE)),
        friendAdd: (_ctx, event) => settled(event.replyMedia(PNG, IMAGE)),
        groupDelRobot: (_ctx, event) => settled(event.replyMedia(PNG, IMAGE)),
      },
    ]);
    const group = 'ABCDEF0123456789ABCDEF0123456789';
    const user = '0123456789ABCDEF0123456789ABCDEF';
    const added = harness.emulator.simulate.groupAddRobot({ groupOpenid: group });
    const friend = harness.emulator.simulate.friendAdd({ userOpenid: user });
    // Removed only once greeted: an answer to a group the bot has left is refused.
    await harness.emulator.recorder.waitForCount(
      (r) => r.kind === 'rest' && r.method === 'POST' && r.path.endsWith('/messages'),
      2,
    );
    harness.emulator.simulate.groupDelRobot({ groupOpenid: group });
    await done;

    const answers = posts(harness).filter(([route]) => route === GROUP_SEND || route === C2C_SEND);
    expect(answers).toEqual(
      expect.arrayContaining([
        [
          GROUP_SEND,
          `/v2/groups/${group}/messages`,
          200,
          expect.objectContaining({ msg_type: 7, event_id: added.id, msg_seq: 1 }),
        ],
        [
          C2C_SEND,
          `/v2/users/${user}/messages`,
          200,
          expect.objectContaining({ msg_type: 7, event_id: friend.id, msg_seq: 1 }),
        ],
      ]),
    );
    expect(answers).toHaveLength(2);
    expect(posts(harness).filter(([route]) => route === GROUP_FILES || route === C2C_FILES)).toHaveLength(2);
    expect(outcomes.find((outcome) => outcome instanceof EventReplyError)).toMatchObject({
      reason: 'notAnswerable',
      event: 'GROUP_DEL_ROBOT',
    });
  });
});
