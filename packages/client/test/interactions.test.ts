import { afterEach, describe, expect, it, vi } from 'vitest';
import { SEED } from '@bot/testing';
import {
  ApiError,
  EventReplyError,
  InteractionAckCode,
  InteractionAckError,
  MessageParams,
  ReplyWindowClosedError,
  ValidationError,
  type Context,
  type EventHandler,
  type Interaction,
} from '@bot/client';
import { startHarness, type Harness } from './support/harness.js';

/** Sends of the bot the emulator recorded, as `[route, status, body]`. */
function sends(harness: Harness): Array<[string | null, number, Record<string, unknown>]> {
  return harness.emulator.recorder
    .filter((r) => r.kind === 'rest' && r.method === 'POST' && r.path.endsWith('/messages'))
    .map((r) => (r.kind === 'rest' ? [r.route, r.status, r.body as Record<string, unknown>] : [null, 0, {}]));
}

/** A handler that hands each interaction to the test. */
function capture(): { handler: EventHandler; next: () => Promise<Interaction> } {
  const waiting: Array<(interaction: Interaction) => void> = [];
  const arrived: Interaction[] = [];
  return {
    handler: {
      interactionCreate(_ctx: Context, interaction: Interaction) {
        const resolve = waiting.shift();
        if (resolve) resolve(interaction);
        else arrived.push(interaction);
      },
    },
    next: () => {
      const ready = arrived.shift();
      return ready ? Promise.resolve(ready) : new Promise((resolve) => waiting.push(resolve));
    },
  };
}

describe('interactions through the emulator', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    vi.useRealTimers();
    await harness?.stop();
    harness = undefined;
  });

  it('acknowledges a button press and answers it in the group it came from, quoting its id', async () => {
    const bot: EventHandler = {
      async interactionCreate(_ctx: Context, interaction: Interaction) {
        await interaction.ack(InteractionAckCode.Success);
        await interaction.reply(`you chose ${interaction.buttonData}`);
        await interaction.reply('and a second answer');
      },
    };
    harness = await startHarness([bot]);
    const click = harness.emulator.simulate.interaction({
      scene: 'group',
      buttonId: 'b1',
      buttonData: 'yes',
      allowUnsentButton: true,
    });
    await harness.emulator.recorder.waitForCount(
      (r) => r.kind === 'rest' && r.route === 'POST /v2/groups/{group_openid}/messages',
      2,
    );
    const ack = harness.emulator.recorder.filter((r) => r.kind === 'rest' && r.method === 'PUT');
    expect(ack.map((r) => (r.kind === 'rest' ? [r.path, r.status, r.body] : []))).toEqual([
      [`/interactions/${click.d.id}`, 204, { code: 0 }],
    ]);
    expect(sends(harness)).toEqual([
      [
        'POST /v2/groups/{group_openid}/messages',
        200,
        expect.objectContaining({ content: 'you chose yes', event_id: click.d.id, msg_seq: 1 }),
      ],
      [
        'POST /v2/groups/{group_openid}/messages',
        200,
        expect.objectContaining({ content: 'and a second answer', event_id: click.d.id, msg_seq: 2 }),
      ],
    ]);
  });

  it('answers in the C2C chat and in the guild channel of the press', async () => {
    const { handler, next } = capture();
    harness = await startHarness([handler]);
    const privately = harness.emulator.simulate.interaction({
      scene: 'c2c',
      buttonId: 'b',
      allowUnsentButton: true,
    });
    await (await next()).reply('in private');
    const inChannel = harness.emulator.simulate.interaction({
      scene: 'guild',
      buttonId: 'b',
      allowUnsentButton: true,
    });
    await (await next()).reply(MessageParams.text('in the channel'));
    expect(sends(harness)).toEqual([
      [
        'POST /v2/users/{openid}/messages',
        200,
        expect.objectContaining({ content: 'in private', event_id: privately.d.id, msg_seq: 1 }),
      ],
      [
        'POST /channels/{channel_id}/messages',
        200,
        expect.objectContaining({ content: 'in the channel', event_id: inChannel.d.id }),
      ],
    ]);
    expect(sends(harness)[1]?.[2]).not.toHaveProperty('msg_id');
  });

  it('refuses a second acknowledgement with InteractionAckError, sending nothing', async () => {
    const { handler, next } = capture();
    harness = await startHarness([handler]);
    harness.emulator.simulate.interaction({ scene: 'c2c', buttonId: 'b', allowUnsentButton: true });
    const interaction = await next();
    await interaction.ack(InteractionAckCode.NoPermission);
    const second = await interaction.ack(InteractionAckCode.Success).catch((error: unknown) => error);
    expect(second).toBeInstanceOf(InteractionAckError);
    expect(second).toMatchObject({ kind: 'interactionAck', interactionId: interaction.id, firstCode: 4 });
    expect(interaction.acknowledged).toBe(InteractionAckCode.NoPermission);
    const puts = harness.emulator.recorder.filter((r) => r.kind === 'rest' && r.method === 'PUT');
    expect(puts).toHaveLength(1);
  });

  it('two acknowledgements at once send one PUT: the second is refused before any request', async () => {
    const { handler, next } = capture();
    harness = await startHarness([handler]);
    harness.emulator.simulate.interaction({ scene: 'group', buttonId: 'b', allowUnsentButton: true });
    const interaction = await next();
    const outcomes = await Promise.allSettled([
      interaction.ack(InteractionAckCode.Success),
      interaction.ack(InteractionAckCode.Failed),
    ]);
    expect(outcomes[0]).toEqual({ status: 'fulfilled', value: undefined });
    expect(outcomes[1]).toMatchObject({
      status: 'rejected',
      reason: { kind: 'interactionAck', firstCode: 0 },
    });
    const puts = harness.emulator.recorder.filter((r) => r.kind === 'rest' && r.method === 'PUT');
    expect(puts.map((r) => (r.kind === 'rest' ? r.body : undefined))).toEqual([{ code: 0 }]);
    expect(interaction.acknowledged).toBe(InteractionAckCode.Success);
  });

  it('lets a failed acknowledgement be tried again', async () => {
    const { handler, next } = capture();
    harness = await startHarness([handler]);
    harness.emulator.faults.failRoute('PUT /interactions/{interaction_id}', { status: 400, code: 630001 });
    harness.emulator.simulate.interaction({ scene: 'group', buttonId: 'b', allowUnsentButton: true });
    const interaction = await next();
    await expect(interaction.ack()).rejects.toBeInstanceOf(ApiError);
    expect(interaction.acknowledged).toBeUndefined();
    await interaction.ack();
    expect(interaction.acknowledged).toBe(InteractionAckCode.Success);
  });

  it('sends a data object with its code, and refuses one JSON would not carry before sending, leaving the interaction unacknowledged', async () => {
    const { handler, next } = capture();
    harness = await startHarness([handler]);
    harness.emulator.simulate.interaction({ scene: 'group', buttonId: 'b', allowUnsentButton: true });
    const interaction = await next();
    const refused = await interaction
      .ack({ code: InteractionAckCode.Success, data: { at: new Date(0) } as never })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ValidationError);
    expect(interaction.acknowledged).toBeUndefined();
    await interaction.ack({ code: InteractionAckCode.Failed, data: { answer: 'later' } });
    expect(interaction.acknowledged).toBe(InteractionAckCode.Failed);
    const puts = harness.emulator.recorder.filter((r) => r.kind === 'rest' && r.method === 'PUT');
    expect(puts.map((r) => (r.kind === 'rest' ? r.body : undefined))).toEqual([
      { code: 1, data: { answer: 'later' } },
    ]);
  });

  it('an acknowledgement without a valid code reserves nothing: the next one is the only one sent', async () => {
    const { handler, next } = capture();
    harness = await startHarness([handler]);
    for (const answer of [{ data: { a: 1 } }, { code: 6 }, null]) {
      harness.emulator.simulate.interaction({ scene: 'group', buttonId: 'b', allowUnsentButton: true });
      const interaction = await next();
      const refused = interaction.ack(answer as never).catch((error: unknown) => error);
      const sent = interaction.ack(InteractionAckCode.Success);
      expect(await refused).toMatchObject({ kind: 'validation', field: 'code' });
      await sent;
      expect(interaction.acknowledged).toBe(InteractionAckCode.Success);
      await expect(interaction.ack(InteractionAckCode.Failed)).rejects.toBeInstanceOf(InteractionAckError);
    }
    const puts = harness.emulator.recorder.filter((r) => r.kind === 'rest' && r.method === 'PUT');
    expect(puts).toHaveLength(3);
  });

  it('refuses an answer after the 5-minute group window with ReplyWindowClosedError, unless told to let the platform decide', async () => {
    // Both clocks faked (the window is judged on both), no timers: the sockets stay real.
    vi.useFakeTimers({ toFake: ['Date', 'performance'] });
    const { handler, next } = capture();
    harness = await startHarness([handler]);
    harness.emulator.simulate.interaction({ scene: 'group', buttonId: 'b', allowUnsentButton: true });
    const interaction = await next();
    expect(interaction.replyWindow).toMatchObject({ scene: 'group', limit: 5, remaining: 5 });
    vi.advanceTimersByTime(5 * 60_000 + 1_000);
    const late = await interaction.reply('too late').catch((error: unknown) => error);
    expect(late).toBeInstanceOf(ReplyWindowClosedError);
    expect(late).toMatchObject({ kind: 'replyWindowClosed', reason: 'expired', messageId: interaction.id });
    expect(sends(harness)).toEqual([]);
    // The platform stays the authority: sent anyway, the emulator refuses it as expired.
    const anyway = await interaction
      .reply('anyway', { replyWindow: 'ignore' })
      .catch((error: unknown) => error);
    expect(anyway).toBeInstanceOf(ApiError);
    expect(anyway).toMatchObject({ code: 40034026 });
  });

  it('answers a press at most 5 times: the sixth is refused before any request', async () => {
    const { handler, next } = capture();
    harness = await startHarness([handler]);
    harness.emulator.simulate.interaction({ scene: 'c2c', buttonId: 'b', allowUnsentButton: true });
    const interaction = await next();
    for (let n = 1; n <= 5; n++) await interaction.reply(`answer ${n}`);
    const sixth = await interaction.reply('answer 6').catch((error: unknown) => error);
    expect(sixth).toBeInstanceOf(ReplyWindowClosedError);
    expect(sixth).toMatchObject({ reason: 'exhausted', scene: 'c2c' });
    expect(sends(harness).map(([, status, body]) => [status, body['msg_seq']])).toEqual([
      [200, 1],
      [200, 2],
      [200, 3],
      [200, 4],
      [200, 5],
    ]);
  });
});

describe('answering events by event_id through the emulator', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  it('greets a group the bot joins and a user who adds it, and refuses to answer a removal', async () => {
    const outcomes: unknown[] = [];
    let allDone!: () => void;
    const done = new Promise<void>((resolve) => (allDone = resolve));
    const record = (outcome: unknown) => outcomes.push(outcome) === 3 && allDone();
    const bot: EventHandler = {
      async groupAddRobot(_ctx, event) {
        record(await event.reply('hello, group'));
      },
      async friendAdd(_ctx, event) {
        record(await event.reply('hello, friend'));
      },
      async groupDelRobot(_ctx, event) {
        record(await event.reply('bye').catch((error: unknown) => error));
      },
    };
    harness = await startHarness([bot]);
    const added = harness.emulator.simulate.groupAddRobot({
      groupOpenid: 'ABCDEF0123456789ABCDEF0123456789',
    });
    const friend = harness.emulator.simulate.friendAdd({ userOpenid: '0123456789ABCDEF0123456789ABCDEF' });
    // Removed only once greeted: an answer to a group the bot has left is refused.
    await harness.emulator.recorder.waitForCount((r) => r.kind === 'rest' && r.method === 'POST', 2);
    harness.emulator.simulate.groupDelRobot({ groupOpenid: 'ABCDEF0123456789ABCDEF0123456789' });
    await done;
    expect(sends(harness)).toEqual([
      [
        'POST /v2/groups/{group_openid}/messages',
        200,
        expect.objectContaining({ content: 'hello, group', event_id: added.id, msg_seq: 1 }),
      ],
      [
        'POST /v2/users/{openid}/messages',
        200,
        expect.objectContaining({ content: 'hello, friend', event_id: friend.id, msg_seq: 1 }),
      ],
    ]);
    expect(outcomes[2]).toBeInstanceOf(EventReplyError);
    expect(outcomes[2]).toMatchObject({ reason: 'notAnswerable', event: 'GROUP_DEL_ROBOT' });
  });

  it('welcomes a new guild member in a channel of the guild, answers a reaction in its channel and a forum thread where told', async () => {
    const bot: EventHandler = {
      async guildMemberAdd(_ctx, member) {
        await member.reply(SEED.channels.hallGeneral, `welcome, ${member.user?.username}`);
      },
      async messageReactionAdd(_ctx, reaction) {
        await reaction.reply(`thanks for the ${reaction.emoji?.id}`);
      },
      async forumThreadCreate(_ctx, thread) {
        await thread.reply(SEED.channels.hallGeneral, `a new thread by ${thread.authorId}`);
      },
    };
    harness = await startHarness([bot]);
    const joined = harness.emulator.simulate.memberJoin({ guildId: SEED.guilds[0], username: 'Newcomer' });
    await harness.emulator.recorder.waitFor((r) => r.kind === 'rest' && r.method === 'POST');
    const inbound = harness.emulator.simulate.guildAtMessage({ content: 'react here' });
    const reacted = harness.emulator.simulate.reactionAdd({ messageId: inbound.d.id });
    await harness.emulator.recorder.waitForCount((r) => r.kind === 'rest' && r.method === 'POST', 2);
    const thread = harness.emulator.simulate.dispatch(
      'FORUM_THREAD_CREATE',
      { guild_id: SEED.guilds[0], channel_id: SEED.channels.hallForum, author_id: 'u7', thread_info: {} },
      { guildId: SEED.guilds[0] },
    );
    await harness.emulator.recorder.waitForCount((r) => r.kind === 'rest' && r.method === 'POST', 3);
    expect(sends(harness)).toEqual([
      [
        'POST /channels/{channel_id}/messages',
        200,
        expect.objectContaining({ content: 'welcome, Newcomer', event_id: joined.id }),
      ],
      [
        'POST /channels/{channel_id}/messages',
        200,
        expect.objectContaining({ content: 'thanks for the 4', event_id: reacted.id }),
      ],
      [
        'POST /channels/{channel_id}/messages',
        200,
        expect.objectContaining({ content: 'a new thread by u7', event_id: thread.id }),
      ],
    ]);
  });
});
