import { describe, expect, it } from 'vitest';
import { Emulator } from '@bot/testing';
import {
  ApiError,
  Client,
  Intents,
  OpenMessageParams,
  PlatformCode,
  Token,
  ValidationError,
  type RichFallbackOptions,
  type RichFallbackReport,
  richFallbackOf,
} from '@bot/client';

/** Starts an emulator that refuses markdown replies and a client for it, built by `configure`. */
async function withRefusingPlatform(
  configure: (builder: ReturnType<typeof Client.builder>) => ReturnType<typeof Client.builder>,
  run: (emulator: Emulator, client: Client) => Promise<void>,
): Promise<void> {
  const emulator = await Emulator.start();
  let client: Client | undefined;
  try {
    emulator.richContent.set({ replyMarkdown: false });
    const builder = Client.builder(new Token(emulator.appId, emulator.secret), Intents.default())
      .baseUrl(emulator.restUrl, emulator.tokenUrl)
      .eventHandler({ messageCreate: () => undefined });
    client = await configure(builder);
    await run(emulator, client);
  } finally {
    await client?.shutdown();
    await emulator.stop();
  }
}

const sends = (emulator: Emulator): number =>
  emulator.recorder.filter((r) => r.kind === 'rest' && r.route === 'POST /v2/groups/{group_openid}/messages')
    .length;

describe('ClientBuilder.richContentFallback', () => {
  it('sends a refused markdown reply as text through the client and tells onFallback', async () => {
    const reports: RichFallbackReport[] = [];
    await withRefusingPlatform(
      (builder) => {
        const configured = builder.richContentFallback({ onFallback: (report) => reports.push(report) });
        expect(configured.getRichContentFallback()).toBeDefined();
        return configured;
      },
      async (emulator, client) => {
        const inbound = emulator.simulate.groupAtMessage({ content: 'menu' });
        const result = await client.api.groups.send(
          inbound.d.group_openid,
          OpenMessageParams.markdown('**Menu**').withReply(inbound.d.id),
        );
        expect(richFallbackOf(result)?.code).toBe(PlatformCode.ReplyMarkdownNotPermitted);
        expect(reports.map((report) => report.text)).toEqual(['Menu']);
        expect(sends(emulator)).toBe(2);
      },
    );
  });

  it('is off unless asked for: a refused markdown reply throws the refusal and is not sent again', async () => {
    await withRefusingPlatform(
      (builder) => {
        expect(builder.getRichContentFallback()).toBeUndefined();
        return builder;
      },
      async (emulator, client) => {
        const inbound = emulator.simulate.groupAtMessage({ content: 'menu' });
        const error = await client.api.groups
          .send(inbound.d.group_openid, OpenMessageParams.markdown('**Menu**').withReply(inbound.d.id))
          .catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(ApiError);
        expect((error as ApiError).code).toBe(PlatformCode.ReplyMarkdownNotPermitted);
        expect(sends(emulator)).toBe(1);
      },
    );
  });

  it('refuses an onFallback or render that is not a function, when the step is called', () => {
    const builder = Client.builder(new Token('app', 'secret'), Intents.default());
    for (const options of [{ onFallback: 'log' }, { render: 42 }, 'yes'])
      expect(() => builder.richContentFallback(options as unknown as RichFallbackOptions)).toThrow(
        ValidationError,
      );
    expect(builder.getRichContentFallback()).toBeUndefined();
  });
});
