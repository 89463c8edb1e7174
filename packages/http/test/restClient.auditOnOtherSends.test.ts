import { describe, expect, it } from 'vitest';
import { ApiError, BotApi, StreamInputState } from '@bot/http';
import { useRestFixture } from './support/restFixture.js';

// An audit code (304023/304024) on a send not declared auditable (setting guides, C2C stream
// frames, typing notices) has no PendingAudit to resolve to, but the platform took the request and
// holds it: the ApiError says it may be delivered, so nothing counts it as certainly unsent.

describe('an audit code on a send not declared auditable', () => {
  const fixture = useRestFixture();
  const api = () => new BotApi(fixture.client({ retries: 2 }));
  const held = (code: number) => ({ code, message: 'push message is waiting for audit now' });

  const sends: [string, (bot: BotApi) => Promise<unknown>, string][] = [
    [
      'a channel setting guide',
      (bot) => bot.settingGuides.sendToChannel('c1', { content: 'hi' }),
      '/channels/{channel_id}/settingguide',
    ],
    ['a DM setting guide', (bot) => bot.settingGuides.sendToDm('d1', 'g1'), '/dms/{guild_id}/settingguide'],
    [
      'a C2C stream frame',
      (bot) =>
        bot.c2c.streamFrame('u1', {
          input_mode: 'replace',
          input_state: StreamInputState.Generating,
          content_type: 'markdown',
          content_raw: 'hel',
          msg_id: 'm1',
          msg_seq: 1,
          index: 0,
        }),
      '/v2/users/{openid}/stream_messages',
    ],
    [
      'a C2C typing notice',
      (bot) => bot.c2c.sendTyping('u1', { msgId: 'm1', msgSeq: 1 }),
      '/v2/users/{openid}/messages',
    ],
  ];

  for (const [status, code] of [
    [202, 304023],
    [200, 304024],
  ] as const) {
    it.each(sends)(
      `rejects %s answered ${status} with code ${code} as held, not as unsent`,
      async (_name, send, route) => {
        fixture.platform.handler = () => ({ status, body: held(code) });
        const error = await send(api()).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ApiError);
        expect(error).toMatchObject({ status, code, route, mayHaveBeenSent: true });
        const message = (error as Error).message;
        expect(message).toContain('the platform holds it for audit');
        expect(message).not.toContain('earlier attempt');
        // Held, not refused: never sent again.
        expect(fixture.platform.requests).toHaveLength(1);
      },
    );
  }

  it('keeps any other 2xx refusal of such a send unsent', async () => {
    fixture.platform.handler = () => ({ status: 200, body: { code: 304003, message: 'url not allowed' } });
    const error = await api()
      .settingGuides.sendToChannel('c1', { content: 'hi' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'api', status: 200, code: 304003, mayHaveBeenSent: false });
  });
});
