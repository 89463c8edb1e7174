import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Emulator } from '@bot/testing';
import { call } from './helpers/http.js';

/** C2C streamed replies (docs/protocol.md §15.1) against the emulator's stream rules. */
describe('POST /v2/users/{openid}/stream_messages', () => {
  let emu: Emulator;
  let token: string;
  let openid: string;
  let msgId: string;
  const frame = (body: Record<string, unknown>) =>
    call<Record<string, unknown>>(emu.restUrl, 'POST', `/v2/users/${openid}/stream_messages`, {
      token,
      body: {
        input_mode: 'replace',
        input_state: 1,
        content_type: 'markdown',
        msg_id: msgId,
        msg_seq: 1,
        ...body,
      },
    });
  /** Moves the clock past the platform's least frame interval (300 ms), a duration on the steady clock. */
  const later = () => vi.advanceTimersByTime(300);

  beforeEach(async () => {
    emu = await Emulator.start();
    token = emu.createAccessToken();
    const inbound = emu.simulate.c2cMessage({ content: 'tell me a story' });
    openid = inbound.d.author.user_openid;
    msgId = inbound.d.id;
    vi.useFakeTimers({ toFake: ['Date', 'performance'] });
  });
  afterEach(async () => {
    vi.useRealTimers();
    await emu.stop();
  });

  it('runs a stream: the first frame returns its id, later frames grow one message, done closes it', async () => {
    const first = await frame({ index: 0, content_raw: 'Once' });
    expect(first.status).toBe(200);
    const streamId = first.body['id'] as string;
    later();
    expect((await frame({ index: 1, content_raw: 'Once upon', stream_msg_id: streamId })).body).toMatchObject(
      {
        id: streamId,
      },
    );
    later();
    const last = await frame({
      index: 2,
      content_raw: 'Once upon a time.',
      stream_msg_id: streamId,
      input_state: 10,
    });
    expect(last.status).toBe(200);
    expect(emu.world.messages.find(streamId, 'c2c', openid)?.content).toBe('Once upon a time.');

    later();
    const after = await frame({ index: 3, content_raw: 'Once upon a time. More', stream_msg_id: streamId });
    expect(after.status).toBe(400);
    expect(String(after.body['message'])).toMatch(/finished stream/);
  });

  it('a wall clock stepped forward does not shorten the least interval between frames', async () => {
    const streamId = (await frame({ index: 0, content_raw: 'a' })).body['id'] as string;
    vi.setSystemTime(Date.now() + 60_000);
    const tooSoon = await frame({ index: 1, content_raw: 'ab', stream_msg_id: streamId });
    expect(tooSoon.body).toMatchObject({ code: 22009 });
    later();
    expect((await frame({ index: 1, content_raw: 'ab', stream_msg_id: streamId })).status).toBe(200);
  });

  it('refuses frames out of order, too close together, for an unknown stream, or that rewrite the text', async () => {
    const streamId = (await frame({ index: 0, content_raw: 'a' })).body['id'] as string;

    const tooSoon = await frame({ index: 1, content_raw: 'ab', stream_msg_id: streamId });
    expect(tooSoon.status).toBe(429);
    expect(tooSoon.body).toMatchObject({ code: 22009 });

    later();
    const skipped = await frame({ index: 2, content_raw: 'ab', stream_msg_id: streamId });
    expect(skipped.body).toMatchObject({ code: 12002, message: expect.stringMatching(/index.*must be 1/) });
    const unknown = await frame({ index: 1, content_raw: 'ab', stream_msg_id: 'no-such-stream' });
    expect(unknown.body).toMatchObject({ code: 12002, message: expect.stringMatching(/stream_msg_id/) });
    const rewritten = await frame({ index: 1, content_raw: 'b', stream_msg_id: streamId });
    expect(rewritten.body).toMatchObject({
      message: expect.stringMatching(/must start with the text already sent/),
    });
    const firstAgain = await frame({ index: 1, content_raw: 'ab' });
    expect(firstAgain.body).toMatchObject({ message: expect.stringMatching(/must be 0 on a first frame/) });

    expect((await frame({ index: 1, content_raw: 'ab', stream_msg_id: streamId })).status).toBe(200);
  });

  it('counts a stream as one reply of the message: window, 5 replies and msg_seq apply to its first frame', async () => {
    for (let seq = 1; seq <= 5; seq++) {
      expect((await frame({ index: 0, content_raw: `stream ${seq}`, msg_seq: seq })).status).toBe(200);
    }
    const sixth = await frame({ index: 0, content_raw: 'one too many', msg_seq: 6 });
    expect(sixth.body).toMatchObject({ code: 40034128 });

    const fresh = emu.simulate.c2cMessage({ content: 'again' });
    msgId = fresh.d.id;
    vi.setSystemTime(Date.now() + 60 * 60_000 + 1);
    const expired = await frame({ index: 0, content_raw: 'too late' });
    expect(expired.body).toMatchObject({ code: 40034005 });
  });

  it('checks the frame itself: input_mode replace, input_state 1 or 10, non-empty text', async () => {
    expect((await frame({ index: 0, content_raw: 'x', input_mode: 'append' })).body).toMatchObject({
      code: 12002,
    });
    expect((await frame({ index: 0, content_raw: 'x', input_state: 2 })).body).toMatchObject({ code: 12002 });
    expect((await frame({ index: 0, content_raw: '  ' })).body).toMatchObject({ code: 50006 });
  });
});
