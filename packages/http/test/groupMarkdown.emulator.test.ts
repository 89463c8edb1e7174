import { describe, expect, it } from 'vitest';
import { KeyboardBuilder, OpenMessageParams, markdownTemplate } from '@bot/http';
import { useEmulatorRest } from './support/emulatorRest.js';

// A group markdown message goes out without a top-level `content`, as the official SDKs send it,
// though the send page marks the group `content` required (docs/protocol.md §8.4).

describe('group markdown bodies against the emulator', () => {
  const setup = useEmulatorRest();
  const sentBodies = () =>
    setup.emulator.recorder
      .filter((r) => r.kind === 'rest' && r.method === 'POST' && r.path.endsWith('/messages'))
      .map((r) => (r.kind === 'rest' ? r.body : undefined));

  it('sends raw and template markdown, with buttons, without content', async () => {
    const inbound = setup.emulator.simulate.groupAtMessage({ content: 'menu' });
    const group = inbound.d.group_openid;
    const keyboard = new KeyboardBuilder().row((row) => row.callback('OK', 'ok', { id: 'ok' })).build();
    await setup.api.groups.send(
      group,
      OpenMessageParams.markdown('**menu**').withKeyboard(keyboard).withReply(inbound.d.id).withMsgSeq(1),
    );
    await setup.api.groups.send(
      group,
      OpenMessageParams.markdown(markdownTemplate('tpl_1', { title: 'Weekly' }))
        .withReply(inbound.d.id)
        .withMsgSeq(2),
    );
    const [raw, template] = sentBodies();
    expect(raw).toEqual({
      msg_type: 2,
      markdown: { content: '**menu**' },
      keyboard,
      msg_id: inbound.d.id,
      msg_seq: 1,
    });
    expect(template).toMatchObject({ msg_type: 2, markdown: { custom_template_id: 'tpl_1' } });
    expect(template).not.toHaveProperty('content');
  });

  it('sends a content the caller sets besides the markdown as given', async () => {
    const inbound = setup.emulator.simulate.groupAtMessage({ content: 'menu' });
    await setup.api.groups.send(
      inbound.d.group_openid,
      OpenMessageParams.markdown('**menu**').withContent('menu').withReply(inbound.d.id).withMsgSeq(1),
    );
    expect(sentBodies()).toEqual([
      { msg_type: 2, markdown: { content: '**menu**' }, content: 'menu', msg_id: inbound.d.id, msg_seq: 1 },
    ]);
  });
});
