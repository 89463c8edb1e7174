import { describe, expect, it } from 'vitest';
import { EmulatorError, SEED } from '@bot/testing';
import { useEmulatorOfTest } from './support/emulatorOfTest.js';

/** A callback button as `row.callback(label, data)` writes it without an id (the id is optional). */
function idless(label: string, data: string): Record<string, unknown> {
  return {
    render_data: { label, visited_label: label, style: 1 },
    action: { type: 1, data, permission: { type: 2 }, unsupport_tips: 'update QQ' },
  };
}

/** A named callback button. */
function named(id: string, data: string): Record<string, unknown> {
  return { id, ...idless(id, data) };
}

/** Rows of buttons as an inline keyboard. */
function keyboardOf(...rows: Record<string, unknown>[][]): unknown {
  return { content: { rows: rows.map((buttons) => ({ buttons })) } };
}

/**
 * Presses the emulator checks against what the bot sent: a callback button sent without an id, the
 * message id of a press whose message the emulator found itself, and a guild press naming only the
 * message (of a channel other than the default one).
 */
describe('simulated presses of buttons without an id, and of messages found or named', () => {
  const setup = useEmulatorOfTest();
  const group = `/v2/groups/${SEED.groups.bookClub}/messages`;

  /** The bot answers a member's message in Book Club with `keyboard`; returns the sent message id. */
  async function sendToGroup(keyboard: unknown): Promise<string> {
    const inbound = setup.emu.simulate.groupAtMessage({ content: 'menu' });
    const sent = await setup.post(group, {
      msg_type: 2,
      markdown: { content: 'Pick one' },
      keyboard,
      msg_id: inbound.d.id,
    });
    expect(sent.status).toBe(200);
    return String(sent.body['id']);
  }

  /** The bot answers a message in `channelId` with `keyboard`; returns the sent message id. */
  async function sendToChannel(channelId: string, keyboard: unknown): Promise<string> {
    const inbound = setup.emu.simulate.guildAtMessage({ content: 'menu', channelId });
    const sent = await setup.post(`/channels/${channelId}/messages`, {
      content: 'Pick one',
      keyboard,
      msg_id: inbound.d.id,
    });
    expect(sent.status).toBe(200);
    return String(sent.body['id']);
  }

  it('accepts a press of a callback button sent without an id, matched by its data', async () => {
    const messageId = await sendToGroup(
      keyboardOf([named('up', 'vote:up')], [idless('Close', 'vote:close')]),
    );
    const click = setup.emu.simulate.interaction({ scene: 'group', buttonId: '', buttonData: 'vote:close' });
    expect(click.d.data.resolved).toMatchObject({
      button_id: '',
      button_data: 'vote:close',
      message_id: messageId,
    });
    const onMessage = setup.emu.simulate.interaction({
      scene: 'group',
      buttonId: '',
      buttonData: 'vote:close',
      messageId,
    });
    expect(onMessage.d.data.resolved).toMatchObject({ button_data: 'vote:close', message_id: messageId });
  });

  it('refuses a press of a button without an id that names no data or other data, listing every button', async () => {
    const messageId = await sendToGroup(keyboardOf([named('up', 'vote:up'), idless('Close', 'vote:close')]));
    const noData = () => setup.emu.simulate.interaction({ scene: 'group', buttonId: '', messageId });
    expect(noData).toThrow(EmulatorError);
    expect(noData).toThrow(/its buttons: up, a button without id of data "vote:close".*buttonData/);
    const otherData = () =>
      setup.emu.simulate.interaction({ scene: 'group', buttonId: '', buttonData: 'vote:open', messageId });
    expect(otherData).toThrow(/its buttons: up, a button without id of data "vote:close"/);
    expect(otherData).not.toThrow(/its buttons: none/);
  });

  it('refuses a press of a button without an id that is not a callback button', async () => {
    const command = {
      ...idless('Help', '/help'),
      action: { type: 2, data: '/help', permission: { type: 2 } },
    };
    await sendToGroup(keyboardOf([command]));
    expect(() =>
      setup.emu.simulate.interaction({ scene: 'group', buttonId: '', buttonData: '/help' }),
    ).toThrow(/without id of data "\/help".*action\.type 2/);
  });

  it('names the message it found in resolved.message_id', async () => {
    const messageId = await sendToGroup(keyboardOf([named('vote', 'vote:yes')]));
    const click = setup.emu.simulate.interaction({ scene: 'group', buttonId: 'vote' });
    expect(click.d.data.resolved).toMatchObject({ button_id: 'vote', message_id: messageId });
  });

  it('takes the channel of a guild press naming only the message from the message', async () => {
    const messageId = await sendToChannel(
      SEED.channels.loungeGeneral,
      keyboardOf([named('vote', 'vote:yes')]),
    );
    const click = setup.emu.simulate.interaction({ scene: 'guild', buttonId: 'vote', messageId });
    expect(click.d).toMatchObject({ channel_id: SEED.channels.loungeGeneral, guild_id: SEED.guilds[1] });
    expect(click.d.data.resolved).toMatchObject({ message_id: messageId, button_data: 'vote:yes' });
  });

  it('names a channel as a channel when a guild press is refused', async () => {
    const messageId = await sendToChannel(
      SEED.channels.loungeGeneral,
      keyboardOf([named('vote', 'vote:yes')]),
    );
    const elsewhere = () =>
      setup.emu.simulate.interaction({
        scene: 'guild',
        buttonId: 'vote',
        messageId,
        channelId: SEED.channels.hallGeneral,
      });
    expect(elsewhere).toThrow(`no message ${messageId} to channel ${SEED.channels.hallGeneral}`);
    expect(() => setup.emu.simulate.interaction({ scene: 'guild', buttonId: 'nope' })).toThrow(
      `to channel ${SEED.channels.hallGeneral}`,
    );
  });
});
