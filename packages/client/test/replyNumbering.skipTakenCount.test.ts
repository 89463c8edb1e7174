import { describe, expect, it } from 'vitest';
import { ApiError, GroupMessage, PlatformCode, ReplySequencer, type ModelBinding } from '@bot/client';
import { emulatorAndApi } from './support/emulatorAndApi.js';

/*
 * With replyNumbering('skipTaken') a number another process took is skipped, not counted: the
 * window counts the bot's own replies only (README, docs/protocol.md §15.2), and the platform's
 * refusal of a reply past the 5 closes it.
 */
describe("replyNumbering('skipTaken') and the reply window", () => {
  it('counts only its own replies; the platform refusing the 5th as used up closes the window', async () => {
    const { emulator, api } = await emulatorAndApi();
    const event = emulator.simulate.groupAtMessage({ content: 'hello' });
    const binding = (numbering: 'refuseTaken' | 'skipTaken'): ModelBinding =>
      ({
        api,
        replies: new ReplySequencer(undefined, undefined, undefined, numbering),
        replyWindow: 'enforce',
      }) as unknown as ModelBinding;
    const elsewhere = new GroupMessage(event.d as never, binding('refuseTaken'));
    const here = new GroupMessage(event.d as never, binding('skipTaken'));

    await elsewhere.reply('from another process');
    for (let n = 1; n <= 4; n++) await here.reply(`own ${n}`);
    // msg_seq 1 was skipped as the other's: not counted here.
    expect(here.replyWindow.used).toBe(4);
    expect(here.replyWindow.remaining).toBe(1);

    const refused = await here.reply('own 5').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ code: PlatformCode.RepliesUsedUp });
    expect(here.replyWindow.closedReason()).toBe('exhausted');
  });
});
