import { afterEach, describe, expect, it } from 'vitest';
import { Deferred } from '@bot/core';
import { ApiError } from '@bot/http';
import { ReplyWindowClosedError, type Context, type Interaction } from '@bot/client';
import { startHarness, type Harness } from './support/harness.js';

const GROUP_SEND = 'POST /v2/groups/{group_openid}/messages';

/*
 * docs/protocol.md §13.2: an event answer the platform refuses because its event_id is past the
 * window answers `40034026` (or `40034025`, invalid). Like the message codes of §15.2, that closes
 * the event's answer window here too. Before, the window stayed open after the refusal: a later
 * answer went out to be refused once more, and reached the caller as a platform error instead of
 * the ReplyWindowClosedError that `switch (error.kind)` looks for.
 */
describe('an event answer the platform refuses as past its window', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  it('closes the event window: the next answer is refused locally with ReplyWindowClosedError, sending nothing', async () => {
    const outcomes = new Deferred<unknown[]>();
    harness = await startHarness(
      [
        {
          async interactionCreate(_ctx: Context, interaction: Interaction) {
            // Past the platform's (shortened) window, still inside the client's own.
            await new Promise((resolve) => setTimeout(resolve, 300));
            const first = await interaction.reply('first').catch((error: unknown) => error);
            const open = interaction.replyWindow?.isOpen();
            const second = await interaction.reply('second').catch((error: unknown) => error);
            outcomes.resolve([first, open, second]);
          },
        },
      ],
      (builder) => builder,
      { replyWindows: { group: 100 } },
    );
    harness.emulator.simulate.interaction({ scene: 'group', buttonId: 'b', allowUnsentButton: true });

    const [first, open, second] = await outcomes.promise;

    expect(first).toBeInstanceOf(ApiError);
    expect(first).toMatchObject({ code: 40034026 });
    expect(open).toBe(false);
    expect(second).toBeInstanceOf(ReplyWindowClosedError);
    expect(second).toMatchObject({ kind: 'replyWindowClosed', reason: 'expired' });
    const sends = harness.emulator.recorder.filter((r) => r.kind === 'rest' && r.route === GROUP_SEND);
    expect(sends).toHaveLength(1);
  });
});
