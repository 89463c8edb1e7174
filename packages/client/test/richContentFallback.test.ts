import { describe, expect, it } from 'vitest';
import { Emulator } from '@bot/testing';
import {
  Client,
  Intents,
  OpenMessageParams,
  PlatformCode,
  Token,
  type RichFallbackReport,
  richFallbackOf,
} from '@bot/client';

describe('ClientBuilder.richContentFallback', () => {
  it('sends a refused markdown reply as text through the client and tells onFallback', async () => {
    const emulator = await Emulator.start();
    try {
      emulator.richContent.set({ replyMarkdown: false });
      const reports: RichFallbackReport[] = [];
      const builder = Client.builder(new Token(emulator.appId, emulator.secret), Intents.default())
        .baseUrl(emulator.restUrl, emulator.tokenUrl)
        .eventHandler({ messageCreate: () => undefined })
        .richContentFallback({ onFallback: (report) => reports.push(report) });
      expect(builder.getRichContentFallback()).toBeDefined();
      const client = await builder;
      const inbound = emulator.simulate.groupAtMessage({ content: 'menu' });

      const result = await client.api.groups.send(
        inbound.d.group_openid,
        OpenMessageParams.markdown('**Menu**').withReply(inbound.d.id),
      );

      expect(richFallbackOf(result)?.code).toBe(PlatformCode.ReplyMarkdownNotPermitted);
      expect(reports.map((report) => report.text)).toEqual(['Menu']);
      await client.shutdown();
    } finally {
      await emulator.stop();
    }
  });

  it('is off unless asked for', async () => {
    const builder = Client.builder(new Token('app', 'secret'), Intents.default());
    expect(builder.getRichContentFallback()).toBeUndefined();
  });
});
