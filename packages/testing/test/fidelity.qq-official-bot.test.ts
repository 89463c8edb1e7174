import { afterEach, describe, expect, it } from 'vitest';
import { Bot, ReceiverMode, type GroupMessageEvent } from 'qq-official-bot';
import { Emulator, Intent, type RestRecord } from '@bot/testing';

/**
 * Fidelity check against a client nobody here wrote: the community SDK `qq-official-bot`.
 * It hard-codes its hosts, so the test points its axios instance at the emulator: the REST
 * base URL through `defaults.baseURL`, and the absolute token URL through a request interceptor.
 * Nothing in the library's files is changed.
 */
const OFFICIAL_TOKEN_URL = 'https://bots.qq.com/app/getAppAccessToken';

describe('qq-official-bot against the emulator', () => {
  let emu: Emulator | undefined;
  let bot: Bot<ReceiverMode.WEBSOCKET> | undefined;
  afterEach(async () => {
    await bot?.stop();
    await emu?.stop();
    bot = undefined;
    emu = undefined;
  });

  it('connects, receives a simulated group @-message and its reply reaches the emulator', async () => {
    emu = await Emulator.start({
      grantedIntents: Intent.GUILDS | Intent.PUBLIC_GUILD_MESSAGES | Intent.GROUP_AND_C2C_EVENT,
    });
    const tokenUrl = emu.tokenUrl;
    bot = new Bot({
      appid: emu.appId,
      secret: emu.secret,
      intents: ['GROUP_AND_C2C_EVENT', 'PUBLIC_GUILD_MESSAGES'],
      mode: ReceiverMode.WEBSOCKET,
      logLevel: 'off',
    });
    bot.request.defaults.baseURL = emu.restUrl;
    bot.request.interceptors.request.use((config) => {
      if (config.url === OFFICIAL_TOKEN_URL) config.url = tokenUrl;
      return config;
    });

    const received = new Promise<GroupMessageEvent>((resolve) => {
      bot?.on('message.group', (event: GroupMessageEvent) => {
        resolve(event);
        void event.reply('pong from qq-official-bot');
      });
    });
    await bot.start();

    const identify = await emu.recorder.waitFor((r) => r.kind === 'gateway' && r.op === 2);
    expect(identify).toMatchObject({
      d: {
        token: expect.stringMatching(/^QQBot /),
        intents: Intent.GROUP_AND_C2C_EVENT | Intent.PUBLIC_GUILD_MESSAGES,
        shard: [0, 1],
      },
    });

    const inbound = emu.simulate.groupAtMessage({ content: 'ping' });
    const event = await received;
    expect(event.message_id).toBe(inbound.d.id);
    expect(event.group_id).toBe(emu.world.defaults.groupOpenid);

    const reply = await emu.recorder.waitFor(
      (r): r is RestRecord => r.kind === 'rest' && r.route === 'POST /v2/groups/{group_openid}/messages',
      { timeout: 10_000 },
    );
    expect(reply.status).toBe(200);
    expect(reply.params).toEqual({ group_openid: emu.world.defaults.groupOpenid });
    expect(reply.body).toMatchObject({
      content: 'pong from qq-official-bot',
      msg_id: inbound.d.id,
      msg_seq: expect.any(Number),
    });
  });
});
