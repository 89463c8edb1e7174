import { describe, expect, it } from 'vitest';
import { ReplyStreamError, type C2CMessage } from '@bot/client';
import { useHarness, type Harness } from './support/harness.js';
import { capture } from './support/replyCapture.js';

const C2C_STREAM = 'POST /v2/users/{openid}/stream_messages';

/** Stream frames the bot sent, as the emulator recorded them. */
function frames(harness: Harness): number {
  return harness.emulator.recorder.filter((r) => r.kind === 'rest' && r.route === C2C_STREAM).length;
}

async function c2cMessage(start: () => Promise<Harness>, next: () => Promise<unknown>) {
  const harness = await start();
  harness.emulator.simulate.c2cMessage({ content: 'hi' });
  return { harness, message: (await next()) as C2CMessage };
}

describe('what a C2C stream reports', () => {
  const harnesses = useHarness();

  it('counts maxLength in characters (code points), as documented: five emoji fit in 5, a sixth does not', async () => {
    const { handler, next } = capture();
    const { message } = await c2cMessage(() => harnesses.start([handler]), next);
    const stream = message.replyStream({ maxLength: 5 });
    stream.write('😀😀😀😀');
    // A pair split across two writes is one character.
    stream.write('\uD83D');
    stream.write('\uDE00');
    expect(stream.text).toBe('😀'.repeat(5));
    expect(() => stream.write('a')).toThrow(expect.objectContaining({ failure: 'tooLong' }));
    expect(() => stream.write('😀')).toThrow(ReplyStreamError);
    await expect(stream.end()).resolves.toMatchObject({ text: '😀'.repeat(5), streamed: true });
  });

  it('a stream ended blank reports streamed: false, as nothing was shown', async () => {
    const { handler, next } = capture();
    const { harness, message } = await c2cMessage(() => harnesses.start([handler]), next);
    const stream = message.replyStream();
    stream.write('  \n');
    await expect(stream.end()).resolves.toEqual({
      text: '',
      frames: 0,
      streamId: undefined,
      streamed: false,
      pendingAudit: undefined,
    });
    expect(frames(harness)).toBe(0);
    expect(message.replyWindow.used).toBe(0);
  });

  it('a first frame refused says nothing was shown, not that the stream was closed with its text', async () => {
    const { handler, next } = capture();
    const { harness, message } = await c2cMessage(() => harnesses.start([handler]), next);
    harness.emulator.faults.failRoute(C2C_STREAM, { status: 400, code: 12002, times: 1 });
    const failed = await message.replyStreamFrom(['some ', 'text']).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(ReplyStreamError);
    const text = (failed as Error).message;
    expect(text).toContain('after 0 frame(s)');
    expect(text).toContain('nothing was shown to the user');
    expect(text).not.toContain('text written so far');
  });
});
