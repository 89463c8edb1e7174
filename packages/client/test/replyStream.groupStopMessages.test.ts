import { afterEach, describe, expect, it } from 'vitest';
import { Deferred } from '@bot/core';
import { ReplyStreamError, type Context, type GroupMessage } from '@bot/client';
import { startHarness, type Harness } from './support/harness.js';

const GROUP_SEND = 'POST /v2/groups/{group_openid}/messages';

/** A model that yields one token, then loses its connection. */
async function* failingModel(): AsyncGenerator<string> {
  yield 'The answer is';
  throw new Error('model connection lost');
}

/*
 * Groups have no streaming (docs/protocol.md §15.3): the text is sent as one message on end(), and
 * a stream stopped before that sends nothing. The errors of such a stop must say so. Before, they
 * said "the user sees the text written so far" / "the reply was closed with the text received so
 * far", so the bot's author believed the group got a partial answer while it got none.
 */
describe('a group stream stopped before end(): what its error tells', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  it('a throwing source and an abort() both say nothing was sent, and nothing is', async () => {
    const errors = new Deferred<unknown[]>();
    harness = await startHarness([
      {
        async groupMessageCreate(_ctx: Context, message: GroupMessage) {
          const fromSource = await message.replyStreamFrom(failingModel()).catch((error: unknown) => error);
          const stream = message.replyStream();
          stream.write('half an answer');
          await stream.abort(new Error('user left'));
          const aborted = await stream.end().catch((error: unknown) => error);
          errors.resolve([fromSource, aborted]);
        },
      },
    ]);
    harness.emulator.simulate.groupAtMessage({ content: 'question' });

    const [fromSource, aborted] = await errors.promise;

    expect(fromSource).toBeInstanceOf(ReplyStreamError);
    expect(fromSource).toMatchObject({ failure: 'source' });
    expect(aborted).toMatchObject({ kind: 'replyStream', failure: 'aborted' });
    for (const error of [fromSource, aborted] as ReplyStreamError[]) {
      expect(error.message).not.toMatch(/user sees the text|closed with the text/);
      expect(error.message).toMatch(/nothing was sent/);
    }
    expect(harness.emulator.recorder.filter((r) => r.kind === 'rest' && r.route === GROUP_SEND)).toEqual([]);
  });
});
