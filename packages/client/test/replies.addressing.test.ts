import { describe, expect, it } from 'vitest';
import {
  MessageParams,
  OpenMessageParams,
  ValidationError,
  type C2CMessage,
  type GroupMessage,
  type Interaction,
} from '@bot/client';
import { useHarness, type Harness } from './support/harness.js';
import { capture } from './support/replyCapture.js';

/** Bodies of the messages the bot posted, in order. */
function sentBodies(harness: Harness): Array<Record<string, unknown>> {
  return harness.emulator.recorder
    .filter((r) => r.kind === 'rest' && r.method === 'POST' && r.path.endsWith('/messages'))
    .map((r) => (r.kind === 'rest' ? (r.body as Record<string, unknown>) : {}));
}

describe('a reply owns its msg_id, event_id and msg_seq', () => {
  const harnesses = useHarness();

  it('refuses another msg_id or a msg_seq set on the body with a ValidationError, sending nothing and using no number', async () => {
    const { handler, next } = capture();
    const harness = await harnesses.start([handler]);
    const event = harness.emulator.simulate.groupAtMessage({ content: 'hi' });
    const message = (await next()) as GroupMessage;

    const otherTarget = await message
      .reply(OpenMessageParams.text('quote other').withReply('OTHER_MSG_ID').withMsgSeq(9))
      .catch((error: unknown) => error);
    expect(otherTarget).toBeInstanceOf(ValidationError);
    expect((otherTarget as ValidationError).field).toBe('input.msg_id');
    expect((otherTarget as Error).message).toMatch(/api\.groups\.send/);

    const numbered = await message
      .reply({ msg_type: 0, content: 'numbered', msg_seq: 3 })
      .catch((error: unknown) => error);
    expect(numbered).toBeInstanceOf(ValidationError);
    expect((numbered as ValidationError).field).toBe('input.msg_seq');

    const asEvent = await message
      .reply(OpenMessageParams.text('as event').withEventId('EVT'))
      .catch((error: unknown) => error);
    expect((asEvent as ValidationError).field).toBe('input.event_id');

    expect(sentBodies(harness)).toEqual([]);
    expect(message.replyWindow.used).toBe(0);
    // Its own id is what the reply would set: accepted, and numbered from 1.
    await message.reply(OpenMessageParams.text('mine').withReply(message.id));
    expect(sentBodies(harness)).toEqual([
      expect.objectContaining({ content: 'mine', msg_id: event.d.id, msg_seq: 1 }),
    ]);
  });

  it('refuses the same on a C2C reply and on an interaction answer', async () => {
    const { handler, next } = capture();
    const harness = await harnesses.start([handler]);
    harness.emulator.simulate.c2cMessage({ content: 'hi' });
    const message = (await next()) as C2CMessage;
    const c2c = await message
      .reply(OpenMessageParams.text('x').withMsgSeq(2))
      .catch((error: unknown) => error);
    expect((c2c as ValidationError).field).toBe('input.msg_seq');
    expect((c2c as Error).message).toMatch(/api\.c2c\.send/);

    const click = harness.emulator.simulate.interaction({
      scene: 'group',
      buttonId: 'b',
      allowUnsentButton: true,
    });
    const interaction = (await next()) as Interaction;
    const other = await interaction
      .reply(OpenMessageParams.text('x').withEventId('ANOTHER'))
      .catch((error: unknown) => error);
    expect((other as ValidationError).field).toBe('input.event_id');
    const quoting = await interaction
      .reply(OpenMessageParams.text('x').withReply('SOME_MSG'))
      .catch((error: unknown) => error);
    expect((quoting as ValidationError).field).toBe('input.msg_id');
    expect(sentBodies(harness)).toEqual([]);
    await interaction.reply(OpenMessageParams.text('ok').withEventId(click.d.id));
    expect(sentBodies(harness)).toEqual([
      expect.objectContaining({ content: 'ok', event_id: click.d.id, msg_seq: 1 }),
    ]);
  });

  it('names the wrong builder of an interaction answer with the right article', async () => {
    const { handler, next } = capture();
    const harness = await harnesses.start([handler]);
    harness.emulator.simulate.interaction({ scene: 'guild', buttonId: 'b', allowUnsentButton: true });
    const inGuild = (await next()) as Interaction;
    await expect(inGuild.reply(OpenMessageParams.text('x'))).rejects.toThrow(
      'input is an OpenMessageParams, but a guild interaction is answered with text or a MessageParams',
    );
    harness.emulator.simulate.interaction({ scene: 'group', buttonId: 'b', allowUnsentButton: true });
    const inGroup = (await next()) as Interaction;
    await expect(inGroup.reply(MessageParams.text('x'))).rejects.toThrow(
      'input is a MessageParams, but a group interaction is answered with text or an OpenMessageParams',
    );
  });
});
