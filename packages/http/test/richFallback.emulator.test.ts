import { describe, expect, it, vi } from 'vitest';
import {
  ApiError,
  type BotApi,
  createLogger,
  KeyboardBuilder,
  MessageParams,
  OpenMessageParams,
  PlatformCode,
  platformCodeOf,
  renderPlainText,
  type RestClientOptions,
  RichContentFallbackError,
  type RichFallbackReport,
  richFallbackOf,
} from '@bot/http';
import { useEmulatorRest } from './support/emulatorRest.js';

// The opt-in fallback: a markdown/keyboard message the emulated platform refuses for the bot's
// grants goes out once as plain text, and the caller is told — by event, callback and result.

const keyboard = new KeyboardBuilder()
  .row((row) => row.command('Help', '/help').callback('Vote', 'vote:1'))
  .build();

describe('rich-content fallback against the emulator', () => {
  const harness = useEmulatorRest();
  const api = (options: Partial<RestClientOptions> = {}): BotApi => harness.client(options);
  const posted = (scene: 'group' | 'c2c' | 'guild', target: string) =>
    harness.emulator.world.messages
      .inConversation(scene, target)
      .filter((m) => m.fromBot)
      .map((m) => m.content);

  it('without the option, throws the typed refusal (304041) and sends nothing else', async () => {
    harness.emulator.richContent.set({ replyMarkdown: false });
    const inbound = harness.emulator.simulate.groupAtMessage({ content: 'menu' });
    const error = await api()
      .groups.send(inbound.d.group_openid, OpenMessageParams.markdown('**Menu**').withReply(inbound.d.id))
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(platformCodeOf(error)).toBe(PlatformCode.ReplyMarkdownNotPermitted);
    expect((error as ApiError).message).toContain('rich-content fallback');
    expect(posted('group', inbound.d.group_openid)).toEqual([]);
  });

  it('sends a refused markdown reply with buttons once as text, and reports it three ways', async () => {
    harness.emulator.richContent.set({ replyMarkdown: false });
    const onFallback = vi.fn<(report: RichFallbackReport) => void>();
    const client = api({ richContentFallback: { onFallback } });
    const events: RichFallbackReport[] = [];
    client.rest.on('richContentFallback', (report) => events.push(report));
    const inbound = harness.emulator.simulate.groupAtMessage({ content: 'menu' });

    const result = await client.groups.send(
      inbound.d.group_openid,
      OpenMessageParams.markdown('# Menu\n**Pick** one:')
        .withKeyboard(keyboard)
        .withReply(inbound.d.id)
        .withMsgSeq(1),
    );

    expect(posted('group', inbound.d.group_openid)).toEqual(['Menu\nPick one:\n\n[Help] /help | [Vote]']);
    const report = richFallbackOf(result);
    expect(report).toMatchObject({
      code: PlatformCode.ReplyMarkdownNotPermitted,
      route: '/v2/groups/{group_openid}/messages',
      params: { group_openid: inbound.d.group_openid },
      dropped: ['markdown', 'keyboard'],
      text: 'Menu\nPick one:\n\n[Help] /help | [Vote]',
    });
    expect(report?.refusal).toBeInstanceOf(ApiError);
    expect(onFallback).toHaveBeenCalledOnce();
    expect(events).toEqual([report]);
  });

  it('a throwing onFallback callback neither fails the call nor keeps the event from being emitted, and is logged', async () => {
    harness.emulator.richContent.set({ replyMarkdown: false });
    const logged: string[] = [];
    const logger = createLogger('test', 7);
    // The REST client logs through a sub-logger: catch what it reports there.
    const getSubLogger = logger.getSubLogger.bind(logger);
    vi.spyOn(logger, 'getSubLogger').mockImplementation((settings) => {
      const child = getSubLogger(settings);
      vi.spyOn(child, 'error').mockImplementation((...args: unknown[]) => {
        logged.push(String(args[0]));
        return undefined;
      });
      return child;
    });
    const client = api({
      logger,
      richContentFallback: {
        onFallback: () => {
          throw new Error('callback bug');
        },
      },
    });
    const events: RichFallbackReport[] = [];
    client.rest.on('richContentFallback', (report) => events.push(report));
    const inbound = harness.emulator.simulate.groupAtMessage({ content: 'menu' });

    const result = await client.groups.send(
      inbound.d.group_openid,
      OpenMessageParams.markdown('**Menu**').withReply(inbound.d.id).withMsgSeq(1),
    );
    expect(events).toEqual([richFallbackOf(result)]);
    expect(logged.some((line) => line.includes('onFallback') && line.includes('callback bug'))).toBe(true);
  });

  it('falls back when an inline keyboard is refused (304057) in C2C, keeping the reply fields', async () => {
    harness.emulator.richContent.set({ customKeyboards: false });
    const client = api({ richContentFallback: true });
    const inbound = harness.emulator.simulate.c2cMessage({ content: 'help' });
    const openid = inbound.d.author.user_openid;

    const result = await client.c2c.send(
      openid,
      OpenMessageParams.markdown('Choose:').withKeyboard(keyboard).withReply(inbound.d.id).withMsgSeq(1),
    );

    expect(richFallbackOf(result)?.code).toBe(PlatformCode.CustomKeyboardNotPermitted);
    expect(posted('c2c', openid)).toEqual(['Choose:\n\n[Help] /help | [Vote]']);
    // The next reply number is still free: the refused send posted nothing.
    await client.c2c.send(openid, OpenMessageParams.text('next').withReply(inbound.d.id).withMsgSeq(2));
    expect(posted('c2c', openid)).toHaveLength(2);
  });

  it('falls back in a guild channel too, sending content without msg_type', async () => {
    harness.emulator.richContent.set({ nativeMarkdown: false });
    const client = api({ richContentFallback: true });
    const inbound = harness.emulator.simulate.guildAtMessage({ content: 'hi' });

    const result = await client.messages.send(
      inbound.d.channel_id,
      MessageParams.markdown('See [the docs](https://example.com/docs)').withReply(inbound.d.id),
    );

    expect(richFallbackOf(result)?.code).toBe(PlatformCode.NativeMarkdownNotPermitted);
    expect(posted('guild', inbound.d.channel_id)).toEqual(['See the docs']);
  });

  it('says so with a RichContentFallbackError when the plain text is refused too', async () => {
    harness.emulator.richContent.set({ replyMarkdown: false });
    const client = api({ richContentFallback: true });
    const inbound = harness.emulator.simulate.groupAtMessage({ content: 'menu' });
    const other = harness.emulator.simulate.c2cMessage({ content: 'elsewhere' });

    const error = await client.groups
      .send(inbound.d.group_openid, OpenMessageParams.markdown('**Menu**').withReply(other.d.id))
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RichContentFallbackError);
    expect((error as RichContentFallbackError).refusal.code).toBe(PlatformCode.ReplyMarkdownNotPermitted);
    expect(platformCodeOf((error as Error).cause)).toBe(PlatformCode.MsgIdInvalid);
    expect(posted('group', inbound.d.group_openid)).toEqual([]);
  });

  it('throws the refusal as it is when nothing of the message renders as text', async () => {
    harness.emulator.richContent.set({ keyboards: false });
    const client = api({ richContentFallback: true });
    const inbound = harness.emulator.simulate.groupAtMessage({ content: 'menu' });
    const error = await client.groups
      .send(
        inbound.d.group_openid,
        OpenMessageParams.markdown({ custom_template_id: 'tpl', params: [] })
          .withKeyboard(KeyboardBuilder.template('kb'))
          .withReply(inbound.d.id),
      )
      .catch((e: unknown) => e);

    expect(platformCodeOf(error)).toBe(PlatformCode.KeyboardNotPermitted);
    expect(posted('group', inbound.d.group_openid)).toEqual([]);
  });
});

describe('renderPlainText', () => {
  it('drops markdown syntax and URLs, keeps image alt text and template values', () => {
    expect(
      renderPlainText({
        markdown: {
          content:
            '# Title\n> quote\n***bold italic*** and _it_ ~~gone~~\n![cat #20px #20px](https://e.com/c.png)',
        },
      }),
    ).toBe('Title\nquote\nbold italic and it gone\ncat');
    expect(
      renderPlainText({
        markdown: { custom_template_id: 't', params: [{ key: 'a', values: ['one', '**two**'] }] },
      }),
    ).toBe('one\ntwo');
  });

  it('drops bare URLs too, in the markdown, template values and button labels, so the text is not refused for them (304003)', () => {
    const text = renderPlainText({
      markdown: { content: 'See https://example.com/a?b=1 and www.example.org/docs, or http://x.y.' },
      keyboard: {
        content: {
          rows: [{ buttons: [{ render_data: { label: 'Open https://e.com' }, action: { type: 2 } }] }],
        },
      },
    });
    expect(text).not.toMatch(/https?:|www\./);
    expect(text).toBe('See and , or .\n\n[Open]');
    expect(
      renderPlainText({
        markdown: { custom_template_id: 't', params: [{ key: 'a', values: ['go to https://e.com/x'] }] },
      }),
    ).toBe('go to');
  });
});
