import { describe, expect, it } from 'vitest';
import { MessageParams, ValidationError, type DirectMessage, type Message } from '@bot/client';
import { useHarness, type Harness } from './support/harness.js';

/** Hands each guild channel message and guild DM to the test, in arrival order. */
function guildInbox(): {
  handler: {
    messageCreate: (_ctx: unknown, message: Message) => void;
    directMessageCreate: (_ctx: unknown, message: DirectMessage) => void;
  };
  next: () => Promise<Message>;
} {
  const arrived: Message[] = [];
  const take = (_ctx: unknown, message: Message): void => void arrived.push(message);
  return {
    handler: { messageCreate: take, directMessageCreate: take },
    next: async () => {
      await expect.poll(() => arrived.length, { timeout: 5000 }).toBeGreaterThan(0);
      return arrived.shift()!;
    },
  };
}

/** Guild channel and DM sends of the bot, as the emulator recorded them. */
function guildSends(harness: Harness): Array<Record<string, unknown>> {
  return harness.emulator.recorder
    .filter(
      (r) =>
        r.kind === 'rest' &&
        r.method === 'POST' &&
        (r.path.startsWith('/channels/') || r.path.startsWith('/dms/')),
    )
    .map((r) => (r.kind === 'rest' ? (r.body as Record<string, unknown>) : {}));
}

/** What a call rejected with. */
function failureOf(call: () => Promise<unknown>): Promise<unknown> {
  return call().then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('a guild or DM reply owns its msg_id and event_id, as group and C2C replies do', () => {
  const harnesses = useHarness();

  it('refuses another msg_id or an event_id with a ValidationError, sending nothing and counting nothing', async () => {
    const inbox = guildInbox();
    const harness = await harnesses.start([inbox.handler]);
    harness.emulator.simulate.guildAtMessage({ content: 'first' });
    const first = await inbox.next();
    harness.emulator.simulate.guildAtMessage({ content: 'second' });
    const second = await inbox.next();

    const viaBuilder = await failureOf(() => second.reply(MessageParams.text('x').withReply(first.id)));
    expect(viaBuilder).toBeInstanceOf(ValidationError);
    expect(viaBuilder).toMatchObject({ field: 'input.msg_id' });
    expect((viaBuilder as Error).message).toMatch(/api\.messages\.send/);
    const viaBody = await failureOf(() => second.reply({ content: 'y', msg_id: first.id }));
    expect(viaBody).toMatchObject({ field: 'input.msg_id' });
    const asEvent = await failureOf(() => second.reply({ content: 'z', event_id: 'SOME_EVENT' }));
    expect(asEvent).toMatchObject({ field: 'input.event_id' });

    expect(guildSends(harness)).toEqual([]);
    expect(second.replyWindow.used).toBe(0);
    expect(first.replyWindow.used).toBe(0);

    // Its own id is what the reply sets anyway: accepted.
    await second.reply(MessageParams.text('mine').withReply(second.id));
    await second.reply({ content: 'body', msg_id: second.id });
    expect(guildSends(harness)).toEqual([
      expect.objectContaining({ content: 'mine', msg_id: second.id }),
      expect.objectContaining({ content: 'body', msg_id: second.id }),
    ]);
  });

  it('refuses the same on a guild DM reply, naming api.dms.send', async () => {
    const inbox = guildInbox();
    const harness = await harnesses.start([inbox.handler]);
    harness.emulator.simulate.guildAtMessage({ content: 'in a channel' });
    const inChannel = await inbox.next();
    harness.emulator.simulate.directMessage({ content: 'dm' });
    const dm = await inbox.next();

    const refused = await failureOf(() => dm.reply({ content: 'w', msg_id: inChannel.id }));
    expect(refused).toBeInstanceOf(ValidationError);
    expect(refused).toMatchObject({ field: 'input.msg_id' });
    expect((refused as Error).message).toMatch(/api\.dms\.send/);
    expect(guildSends(harness)).toEqual([]);
    expect(dm.replyWindow.used).toBe(0);
  });
});
