import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  AbortedAfterSendError,
  ApiError,
  ReplyWindowClosedError,
  type GroupMessage,
  type Interaction,
} from '@bot/client';
import type { EmulatorRecord } from '@bot/testing';
import { useHarness, type Harness } from './support/harness.js';
import { C2C_FILES, C2C_SEND, GROUP_FILES, GROUP_SEND, IMAGE, PNG } from './support/mediaRoutes.js';
import { capture } from './support/replyCapture.js';

type RestRecord = Extract<EmulatorRecord, { kind: 'rest' }>;

/** The bot's POSTs the emulator recorded. */
function posts(harness: Harness): RestRecord[] {
  return harness.emulator.recorder.filter((r): r is RestRecord => r.kind === 'rest' && r.method === 'POST');
}

/** The group messages the platform accepted. */
function groupRepliesSent(harness: Harness): RestRecord[] {
  return posts(harness).filter((r) => r.route === GROUP_SEND && r.status === 200);
}

/** Each POST's route and whether it succeeded, in order. */
function outcomes(harness: Harness): Array<[string | null, boolean]> {
  return posts(harness).map((r) => [r.route, r.status < 300]);
}

/** A stream source that ends only when released, to hold an upload in flight. */
function held(): { source: PassThrough; release: () => void } {
  const source = new PassThrough();
  return { source, release: () => source.end(PNG) };
}

/** Makes the platform drop a `file_info` early, as it may: the `ttl` is an upper bound. */
function expire(harness: Harness, upload: RestRecord): void {
  const fileInfo = (upload.response as { file_info: string }).file_info;
  harness.emulator.world.open.media(fileInfo)!.expiresAt = 0;
}

describe('media replies: the send, concurrency and the file_info cache', () => {
  const harnesses = useHarness();

  /** Starts the harness and waits for a group message to reply to. */
  async function groupMessage(): Promise<{ harness: Harness; message: GroupMessage }> {
    const { handler, next } = capture();
    const harness = await harnesses.start([handler]);
    harness.emulator.simulate.groupAtMessage({ content: 'x' });
    return { harness, message: (await next()) as GroupMessage };
  }

  /** A group message replied to with {@link PNG} once, the `file_info` of that upload since expired. */
  async function expiredAfterOneReply(): Promise<{ harness: Harness; message: GroupMessage }> {
    const { harness, message } = await groupMessage();
    await message.replyMedia(PNG, IMAGE);
    expire(harness, posts(harness)[0]!);
    return { harness, message };
  }

  it('replies during uploads in flight take distinct, increasing msg_seq; the window counts the uploads', async () => {
    const { harness, message } = await groupMessage();
    const a = held();
    const b = held();
    const mediaA = message.replyMedia(a.source, IMAGE);
    const mediaB = message.replyMedia(b.source, { ...IMAGE, content: 'B' });
    await message.reply('t1');
    await message.reply('t2');
    await message.reply('t3');
    // Two uploads in flight and three replies: a sixth is refused before it is sent.
    await expect(message.reply('t4')).rejects.toBeInstanceOf(ReplyWindowClosedError);
    b.release();
    await mediaB;
    a.release();
    await mediaA;
    const seqs = posts(harness)
      .filter((r) => r.route === GROUP_SEND)
      .map((r) => (r.body as { msg_seq: number }).msg_seq);
    expect(seqs).toEqual([1, 2, 3, 4, 5]);
  });

  it("a C2C interaction's media goes to the clicking user's chat", async () => {
    const { handler, next } = capture();
    const harness = await harnesses.start([handler]);
    const click = harness.emulator.simulate.interaction({
      scene: 'c2c',
      buttonId: 'b',
      allowUnsentButton: true,
    });
    const interaction = (await next()) as Interaction;
    await interaction.replyMedia(PNG, IMAGE);
    const sent = posts(harness);
    expect(sent.map((r) => r.route)).toEqual([C2C_FILES, C2C_SEND]);
    expect(sent[0]!.path).toBe(`/v2/users/${click.d.user_openid}/files`);
  });

  it('an abort while the send waits out a 429 stops the send: nothing is posted', async () => {
    const { harness, message } = await groupMessage();
    harness.emulator.faults.failRoute(GROUP_SEND, { status: 429, retryAfter: 1 });
    const controller = new AbortController();
    const sending = message.replyMedia(PNG, { ...IMAGE, signal: controller.signal });
    await harness.emulator.recorder.waitForCount((r) => r.kind === 'rest' && r.route === GROUP_SEND, 1);
    const reason = new Error('the user gave up');
    controller.abort(reason);
    // A first attempt reached the platform, so the abort settles as one after sending.
    const error = await sending.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AbortedAfterSendError);
    expect((error as Error).cause).toBe(reason);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(groupRepliesSent(harness)).toHaveLength(0);
  });

  it('a timeout covers the send too', async () => {
    const { harness, message } = await groupMessage();
    harness.emulator.faults.failRoute(GROUP_SEND, { status: 429, retryAfter: 2 });
    const started = Date.now();
    await expect(message.replyMedia(PNG, { ...IMAGE, timeout: 300 })).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(groupRepliesSent(harness)).toHaveLength(0);
  });

  it('a refused reused file_info is forgotten: the next reply uploads again and is sent', async () => {
    const { harness, message } = await expiredAfterOneReply();
    await expect(message.replyMedia(PNG, IMAGE)).rejects.toBeInstanceOf(ApiError);
    await message.replyMedia(PNG, IMAGE);
    const sent = outcomes(harness);
    expect(sent).toEqual([
      [GROUP_FILES, true],
      [GROUP_SEND, true],
      [GROUP_SEND, false],
      [GROUP_FILES, true],
      [GROUP_SEND, true],
    ]);
  });

  it('reuse: false keeps its fresh file_info, so the next default reply reuses it', async () => {
    const { harness, message } = await expiredAfterOneReply();
    await message.replyMedia(PNG, { ...IMAGE, reuse: false });
    await message.replyMedia(PNG, IMAGE);
    const sent = outcomes(harness);
    expect(sent).toEqual([
      [GROUP_FILES, true],
      [GROUP_SEND, true],
      [GROUP_FILES, true],
      [GROUP_SEND, true],
      [GROUP_SEND, true],
    ]);
  });
});
