import { describe, expect, it } from 'vitest';
import { MessageParams, type GroupMessage, type Message } from '@bot/client';
import { useHarness, type Harness } from './support/harness.js';
import { capture } from './support/replyCapture.js';

/** Bodies of the messages the bot posted, in order. */
function sentBodies(harness: Harness): Array<Record<string, unknown>> {
  return harness.emulator.recorder
    .filter((r) => r.kind === 'rest' && r.method === 'POST' && r.path.endsWith('/messages'))
    .map((r) => (r.kind === 'rest' ? (r.body as Record<string, unknown>) : {}));
}

/*
 * A body parsed from JSON may carry `"msg_id": null` or `""` for a field it leaves unset. A reply
 * owns its addressing, so such a field is no other target: it is left out and the reply quotes
 * its own message, in every scene alike.
 */
describe('a reply body whose msg_id, event_id or msg_seq is null or empty', () => {
  const harnesses = useHarness();

  it('is sent as a reply to this guild message, the blank fields left out', async () => {
    const arrived: Message[] = [];
    const harness = await harnesses.start([
      { messageCreate: (_ctx: unknown, m: Message) => void arrived.push(m) },
    ]);
    harness.emulator.simulate.guildAtMessage({ content: 'x' });
    await expect.poll(() => arrived.length).toBe(1);
    const message = arrived[0]!;

    const bodies = [
      { content: 'a', msg_id: null },
      { content: 'b', msg_id: '' },
      { content: 'c', event_id: null },
      { content: 'd', event_id: '', msg_id: null },
    ];
    for (const body of bodies) await message.reply(body as never);
    await message.reply(MessageParams.from({ content: 'e', event_id: '' } as never));
    const sent = sentBodies(harness);
    expect(sent.map((body) => body['content'])).toEqual(['a', 'b', 'c', 'd', 'e']);
    for (const body of sent) {
      expect(body['msg_id']).toBe(message.id);
      expect(body).not.toHaveProperty('event_id');
    }
    expect(message.replyWindow.used).toBe(5);
  });

  it('is sent as a numbered reply to this group message, the blank fields left out', async () => {
    const { handler, next } = capture();
    const harness = await harnesses.start([handler]);
    harness.emulator.simulate.groupAtMessage({ content: 'hi' });
    const message = (await next()) as GroupMessage;

    await message.reply({ msg_type: 0, content: 'a', msg_id: null, msg_seq: null } as never);
    await message.reply({ msg_type: 0, content: 'b', msg_id: '', event_id: null } as never);
    await message.reply({ msg_type: 0, content: 'c', event_id: '' } as never);
    const sent = sentBodies(harness);
    expect(sent.map((body) => [body['content'], body['msg_id'], body['msg_seq']])).toEqual([
      ['a', message.id, 1],
      ['b', message.id, 2],
      ['c', message.id, 3],
    ]);
    for (const body of sent) expect(body).not.toHaveProperty('event_id');
  });
});
