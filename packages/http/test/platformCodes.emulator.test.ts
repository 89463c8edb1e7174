import { describe, expect, it } from 'vitest';
import { ApiError, isKnownApiError, PlatformCode, platformCodeOf, RateLimitedError } from '@bot/http';
import { useEmulatorRest } from './support/emulatorRest.js';

// Each frequent business code as the emulator answers it, and what the client makes of it:
// the typed code, the remedy in the message, and the retry rule that belongs to the code.

describe('platform codes against the emulator', () => {
  const setup = useEmulatorRest();

  const groupSend = (groupOpenid: string, body: Record<string, unknown>) =>
    setup.rest.request({
      method: 'POST',
      route: '/v2/groups/{group_openid}/messages',
      params: { group_openid: groupOpenid },
      body,
    });
  const botMessages = (groupOpenid: string) =>
    setup.emulator.world.messages.inConversation('group', groupOpenid).filter((m) => m.fromBot);

  it('answers an empty message with 50006, typed, with the remedy in the message', async () => {
    const inbound = setup.emulator.simulate.groupAtMessage({ content: 'hi' });
    const error = await groupSend(inbound.d.group_openid, {
      msg_type: 0,
      content: ' ',
      msg_id: inbound.d.id,
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(platformCodeOf(error)).toBe(PlatformCode.EmptyMessage);
    expect(isKnownApiError(error)).toBe(true);
    expect((error as ApiError).remedy).toMatch(/content, markdown/);
    expect((error as ApiError).message).toContain('code 50006');
    expect((error as ApiError).message).toContain((error as ApiError).remedy);
  });

  it('refreshes an expired token (11244) and retries once, so the call succeeds', async () => {
    const inbound = setup.emulator.simulate.groupAtMessage({ content: 'hi' });
    await groupSend(inbound.d.group_openid, { content: 'one', msg_id: inbound.d.id, msg_seq: 1 });
    const before = setup.rest.tokens.current();
    setup.emulator.faults.expireTokens();

    await groupSend(inbound.d.group_openid, { content: 'two', msg_id: inbound.d.id, msg_seq: 2 });

    expect(setup.rest.tokens.current()).not.toBe(before);
    expect(botMessages(inbound.d.group_openid).map((m) => m.content)).toEqual(['one', 'two']);
  });

  it('re-sends a send refused with 304082 (media not fetched) and posts it once', async () => {
    const inbound = setup.emulator.simulate.groupAtMessage({ content: 'hi' });
    setup.emulator.faults.failRoute('POST /v2/groups/{group_openid}/messages', {
      status: 400,
      code: PlatformCode.MediaUploadFailed,
      times: 2,
    });

    await groupSend(inbound.d.group_openid, {
      content: 'after two refusals',
      msg_id: inbound.d.id,
      msg_seq: 1,
    });

    expect(botMessages(inbound.d.group_openid).map((m) => m.content)).toEqual(['after two refusals']);
  });

  it('gives up on 304083 after two re-sends, with the typed refusal', async () => {
    const inbound = setup.emulator.simulate.groupAtMessage({ content: 'hi' });
    setup.emulator.faults.failRoute('POST /v2/groups/{group_openid}/messages', {
      status: 400,
      code: PlatformCode.MediaConvertFailed,
      times: 3,
    });
    const error = await groupSend(inbound.d.group_openid, { content: 'x', msg_id: inbound.d.id }).catch(
      (e: unknown) => e,
    );

    expect(platformCodeOf(error)).toBe(PlatformCode.MediaConvertFailed);
    // The three armed failures were all spent: one send and two re-sends.
    await groupSend(inbound.d.group_openid, { content: 'now it works', msg_id: inbound.d.id, msg_seq: 2 });
    expect(botMessages(inbound.d.group_openid).map((m) => m.content)).toEqual(['now it works']);
  });

  it('answers a send that replies to nothing with 40034102 and a msg_id of another chat with 40034024', async () => {
    const inbound = setup.emulator.simulate.groupAtMessage({ content: 'hi' });
    const other = setup.emulator.simulate.c2cMessage({ content: 'elsewhere' });

    const proactive = await groupSend(inbound.d.group_openid, { content: 'x' }).catch((e: unknown) => e);
    const foreign = await groupSend(inbound.d.group_openid, { content: 'x', msg_id: other.d.id }).catch(
      (e: unknown) => e,
    );

    expect(platformCodeOf(proactive)).toBe(PlatformCode.ProactiveNotPermitted);
    expect((proactive as ApiError).remedy).toMatch(/msg_id of the inbound message/);
    expect(platformCodeOf(foreign)).toBe(PlatformCode.MsgIdInvalid);
  });

  it('does not retry a duplicate msg_seq (40054005): one layer, the caller numbers replies', async () => {
    const inbound = setup.emulator.simulate.groupAtMessage({ content: 'hi' });
    await groupSend(inbound.d.group_openid, { content: 'first', msg_id: inbound.d.id, msg_seq: 1 });
    const error = await groupSend(inbound.d.group_openid, {
      content: 'again',
      msg_id: inbound.d.id,
      msg_seq: 1,
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(platformCodeOf(error)).toBe(PlatformCode.DuplicateMsgSeq);
    expect(botMessages(inbound.d.group_openid).map((m) => m.content)).toEqual(['first']);
  });

  it('surfaces 22009 as a RateLimitedError whose code is typed', async () => {
    const inbound = setup.emulator.simulate.groupAtMessage({ content: 'hi' });
    setup.emulator.faults.failRoute('POST /v2/groups/{group_openid}/messages', {
      status: 429,
      code: PlatformCode.MessageRateLimited,
      times: Infinity,
    });
    const error = await groupSend(inbound.d.group_openid, { content: 'x', msg_id: inbound.d.id }).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(RateLimitedError);
    expect(platformCodeOf(error)).toBe(PlatformCode.MessageRateLimited);
  });
});
