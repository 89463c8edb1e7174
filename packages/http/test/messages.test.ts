import { describe, expect, it } from 'vitest';
import {
  MessageParams,
  OpenMessageParams,
  OpenMessageType,
  type MessageArk,
  type MessageEmbed,
} from '@bot/http';

const embed: MessageEmbed = { title: 'Weather', prompt: 'Weather', fields: [{ name: 'Sunny' }] };
const ark: MessageArk = { template_id: 23, kv: [{ key: '#DESC#', value: 'desc' }] };
const keyboard = { id: 'kb1' };

/** The body as it goes on the wire: `undefined` members would vanish in JSON, so none may exist. */
function wire(body: object): unknown {
  return JSON.parse(JSON.stringify(body));
}

describe('MessageParams (guild channels and DMs)', () => {
  it('builds a text reply', () => {
    const body = MessageParams.text('Pong!').withReply('m1').toBody();
    expect(body).toStrictEqual({ content: 'Pong!', msg_id: 'm1' });
  });

  it('builds each kind of message from its factory', () => {
    expect(MessageParams.embed(embed).toBody()).toStrictEqual({ embed });
    expect(MessageParams.ark(ark).toBody()).toStrictEqual({ ark });
    expect(MessageParams.image('https://example.test/i.png').toBody()).toStrictEqual({
      image: 'https://example.test/i.png',
    });
    expect(MessageParams.markdown('# title').toBody()).toStrictEqual({ markdown: { content: '# title' } });
    expect(
      MessageParams.markdown({ custom_template_id: 'tpl', params: [{ key: 'k', values: ['v'] }] }).toBody(),
    ).toStrictEqual({
      markdown: { custom_template_id: 'tpl', params: [{ key: 'k', values: ['v'] }] },
    });
  });

  it('combines every field with the with… methods', () => {
    const body = MessageParams.markdown('# menu')
      .withKeyboard(keyboard)
      .withContent('text')
      .withEmbed(embed)
      .withArk(ark)
      .withImage('https://example.test/i.png')
      .withReference('m0', true)
      .withReply('m1')
      .withEventId('e1')
      .toBody();
    expect(wire(body)).toStrictEqual({
      markdown: { content: '# menu' },
      keyboard,
      content: 'text',
      embed,
      ark,
      image: 'https://example.test/i.png',
      message_reference: { message_id: 'm0', ignore_get_message_error: true },
      msg_id: 'm1',
      event_id: 'e1',
    });
  });

  it('leaves ignore_get_message_error out unless asked', () => {
    expect(MessageParams.text('x').withReference('m0').toBody().message_reference).toStrictEqual({
      message_id: 'm0',
    });
  });

  it('keeps a local image out of the JSON body', () => {
    const file = { name: 'a.png', data: new Uint8Array([1, 2, 3]), contentType: 'image/png' };
    const params = MessageParams.fileImage(file).withContent('look').withReply('m1');
    expect(params.fileImage).toBe(file);
    expect(params.toBody()).toStrictEqual({ content: 'look', msg_id: 'm1' });
    expect(MessageParams.text('x').withFileImage(file).fileImage).toBe(file);
    expect(MessageParams.text('x').fileImage).toBeUndefined();
  });

  it('never changes an existing instance', () => {
    const base = MessageParams.text('hi');
    const reply = base.withReply('m1');
    expect(base.toBody()).toStrictEqual({ content: 'hi' });
    expect(reply.toBody()).toStrictEqual({ content: 'hi', msg_id: 'm1' });
    const body = reply.toBody();
    body.content = 'changed';
    expect(reply.toBody().content).toBe('hi');
  });

  it('wraps a plain body without keeping a reference to it', () => {
    const plain = { content: 'hi' };
    const params = MessageParams.from(plain).withEventId('e1');
    plain.content = 'changed';
    expect(params.toBody()).toStrictEqual({ content: 'hi', event_id: 'e1' });
  });
});

describe('OpenMessageParams (groups and C2C)', () => {
  it('picks msg_type from the factory', () => {
    expect(OpenMessageParams.text('hi').toBody()).toStrictEqual({ msg_type: 0, content: 'hi' });
    expect(OpenMessageParams.markdown('**b**').toBody()).toStrictEqual({
      msg_type: 2,
      markdown: { content: '**b**' },
    });
    expect(OpenMessageParams.ark(ark).toBody()).toStrictEqual({ msg_type: 3, ark });
    expect(OpenMessageParams.embed(embed).toBody()).toStrictEqual({ msg_type: 4, embed });
    expect(OpenMessageParams.text('hi').type).toBe(OpenMessageType.Text);
    expect(OpenMessageParams.media('fi').type).toBe(OpenMessageType.Media);
  });

  it('gives a media message the single-space content the platform requires', () => {
    expect(OpenMessageParams.media({ file_uuid: 'u', file_info: 'fi', ttl: 0 }).toBody()).toStrictEqual({
      msg_type: 7,
      content: ' ',
      media: { file_info: 'fi' },
    });
    expect(OpenMessageParams.media('fi', '').toBody().content).toBe(' ');
    expect(OpenMessageParams.media('fi').withContent('').toBody().content).toBe(' ');
    expect(OpenMessageParams.from({ msg_type: 7, media: { file_info: 'fi' } }).toBody().content).toBe(' ');
  });

  it('keeps a caption on a media message', () => {
    expect(OpenMessageParams.media('fi', 'caption').toBody()).toStrictEqual({
      msg_type: 7,
      content: 'caption',
      media: { file_info: 'fi' },
    });
  });

  it('does not invent content for other message kinds', () => {
    expect(OpenMessageParams.markdown('# x').toBody()).not.toHaveProperty('content');
  });

  it('builds a numbered reply with buttons', () => {
    const body = OpenMessageParams.markdown('# menu')
      .withKeyboard(keyboard)
      .withReply('gm1')
      .withMsgSeq(2)
      .withReference('gm0')
      .toBody();
    expect(wire(body)).toStrictEqual({
      msg_type: 2,
      markdown: { content: '# menu' },
      keyboard,
      msg_id: 'gm1',
      msg_seq: 2,
      message_reference: { message_id: 'gm0' },
    });
  });

  it('replies to an event by event_id', () => {
    expect(OpenMessageParams.text('welcome').withEventId('ev1').toBody()).toStrictEqual({
      msg_type: 0,
      content: 'welcome',
      event_id: 'ev1',
    });
  });

  it('never changes an existing instance', () => {
    const base = OpenMessageParams.text('hi').withReply('gm1');
    const second = base.withMsgSeq(2);
    expect(base.toBody()).toStrictEqual({ msg_type: 0, content: 'hi', msg_id: 'gm1' });
    expect(second.toBody()).toStrictEqual({ msg_type: 0, content: 'hi', msg_id: 'gm1', msg_seq: 2 });
  });
});
