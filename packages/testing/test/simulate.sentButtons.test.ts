import { describe, expect, it } from 'vitest';
import { EmulatorError, SEED } from '@bot/testing';
import { call } from './helpers/http.js';
import { useEmulatorOfTest } from './support/emulatorOfTest.js';

/** An inline keyboard of one row: a callback button `vote` and a jump button `site`. */
const KEYBOARD = {
  content: {
    rows: [
      {
        buttons: [
          {
            id: 'vote',
            render_data: { label: 'Vote', visited_label: 'Voted' },
            action: { type: 1, data: 'vote:yes', permission: { type: 2 } },
          },
          {
            id: 'site',
            render_data: { label: 'Site', visited_label: 'Site' },
            action: { type: 0, data: 'https://example.com', permission: { type: 2 } },
          },
        ],
      },
    ],
  },
};

/**
 * The platform delivers INTERACTION_CREATE only for a callback button of a message the bot sent in
 * that chat; a simulated press of any other button is refused unless the test opts out.
 */
describe('simulated button presses need a button the bot sent', () => {
  const setup = useEmulatorOfTest();
  const group = `/v2/groups/${SEED.groups.bookClub}/messages`;

  /** The bot answers a member's message in Book Club with {@link KEYBOARD}; returns the sent message id. */
  async function sendKeyboard(keyboard: unknown = KEYBOARD): Promise<string> {
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

  it('refuses a press when the bot sent no keyboard at all, naming the button and what to do', () => {
    const press = () => setup.emu.simulate.interaction({ scene: 'group', buttonId: 'vote' });
    expect(press).toThrow(EmulatorError);
    expect(press).toThrow(/button "vote".*group B7D3F2A1C4E5469A8B0C1D2E3F405162.*allowUnsentButton: true/);
  });

  it('accepts a press of a callback button the bot sent there, with its data and message id', async () => {
    const messageId = await sendKeyboard();
    const click = setup.emu.simulate.interaction({ scene: 'group', buttonId: 'vote' });
    expect(click.d.data.resolved).toMatchObject({ button_id: 'vote', button_data: 'vote:yes' });
    const named = setup.emu.simulate.interaction({ scene: 'group', buttonId: 'vote', messageId });
    expect(named.d.data.resolved).toMatchObject({ button_id: 'vote', message_id: messageId });
  });

  it('refuses a button the keyboard lacks, a press in another chat, and another message id', async () => {
    const messageId = await sendKeyboard();
    expect(() => setup.emu.simulate.interaction({ scene: 'group', buttonId: 'nope' })).toThrow(
      /button "nope"/,
    );
    expect(() =>
      setup.emu.simulate.interaction({ scene: 'group', buttonId: 'vote', groupOpenid: SEED.groups.hiking }),
    ).toThrow(EmulatorError);
    expect(() => setup.emu.simulate.interaction({ scene: 'c2c', buttonId: 'vote' })).toThrow(EmulatorError);
    expect(() =>
      setup.emu.simulate.interaction({ scene: 'group', buttonId: 'vote', messageId: `${messageId}x` }),
    ).toThrow(/message/);
    expect(() => setup.emu.simulate.interaction({ scene: 'group', buttonId: 'nope', messageId })).toThrow(
      new RegExp(`message ${messageId}.*"nope".*vote, site`),
    );
  });

  it('refuses a jump button (no event on the platform) and data the button does not carry', async () => {
    await sendKeyboard();
    expect(() => setup.emu.simulate.interaction({ scene: 'group', buttonId: 'site' })).toThrow(
      /action\.type 0/,
    );
    expect(() =>
      setup.emu.simulate.interaction({ scene: 'group', buttonId: 'vote', buttonData: 'vote:no' }),
    ).toThrow(/"vote:yes"/);
  });

  it('refuses a press of a recalled message', async () => {
    const messageId = await sendKeyboard();
    const recall = await call(setup.emu.restUrl, 'DELETE', `${group}/${messageId}`, { token: setup.token });
    expect(recall.status).toBeLessThan(300);
    expect(() => setup.emu.simulate.interaction({ scene: 'group', buttonId: 'vote' })).toThrow(EmulatorError);
  });

  it('accepts any button id of a keyboard template, whose buttons the emulator cannot see', async () => {
    await sendKeyboard({ id: '102005_1700000000' });
    const click = setup.emu.simulate.interaction({ scene: 'group', buttonId: 'anything', buttonData: 'd' });
    expect(click.d.data.resolved).toMatchObject({ button_id: 'anything', button_data: 'd' });
  });

  it('follows a guild message edited to a new keyboard', async () => {
    const channel = `/channels/${SEED.channels.hallGeneral}/messages`;
    const inbound = setup.emu.simulate.guildAtMessage({ content: 'menu' });
    const sent = await setup.post(channel, { content: 'Pick', keyboard: KEYBOARD, msg_id: inbound.d.id });
    expect(sent.status).toBe(200);
    const id = String(sent.body['id']);
    expect(setup.emu.simulate.interaction({ scene: 'guild', buttonId: 'vote' }).t).toBe('INTERACTION_CREATE');
    const edited = {
      content: { rows: [{ buttons: [{ ...KEYBOARD.content.rows[0]!.buttons[0]!, id: 'again' }] }] },
    };
    const patch = await call(setup.emu.restUrl, 'PATCH', `${channel}/${id}`, {
      token: setup.token,
      body: { keyboard: edited },
    });
    expect(patch.status).toBe(200);
    expect(() => setup.emu.simulate.interaction({ scene: 'guild', buttonId: 'vote' })).toThrow(EmulatorError);
    expect(setup.emu.simulate.interaction({ scene: 'guild', buttonId: 'again' }).t).toBe(
      'INTERACTION_CREATE',
    );
  });

  it('injects any press with allowUnsentButton: true, also through the control API', async () => {
    const click = setup.emu.simulate.interaction({
      scene: 'c2c',
      buttonId: 'never-sent',
      buttonData: 'x',
      allowUnsentButton: true,
    });
    expect(click.d.data.resolved).toMatchObject({ button_id: 'never-sent', button_data: 'x' });
    const refused = await call(setup.emu.restUrl, 'POST', '/__emulator/simulate/interaction', {
      body: { scene: 'c2c', buttonId: 'never-sent' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: expect.stringContaining('allowUnsentButton') });
    const injected = await call(setup.emu.restUrl, 'POST', '/__emulator/simulate/interaction', {
      body: { scene: 'c2c', buttonId: 'never-sent', allowUnsentButton: true },
    });
    expect(injected.status).toBe(200);
  });
});
