import { afterEach, describe, expect, it, vi } from 'vitest';
import { SEED } from '@bot/testing';
import { ReplyWindowClosedError, type EventHandler } from '@bot/client';
import { startHarness, type Harness } from './support/harness.js';

// An event delivered late (a backlog after a reconnect, a slow queue) keeps the window the
// platform opened when it happened: the answer is refused here, not sent to be refused there.

const MINUTE = 60_000;
const NOW = Date.parse('2026-03-01T12:00:00Z');
const iso = (ms: number): string => new Date(ms).toISOString();

describe('answers to an event that arrives late use the window opened at its timestamp', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
    vi.useRealTimers();
  });

  /** Starts a client whose handlers answer each event, and collects what each answer did. */
  async function answering(count: number): Promise<{ outcomes: Map<string, unknown>; all: Promise<void> }> {
    const outcomes = new Map<string, unknown>();
    let done!: () => void;
    const all = new Promise<void>((resolve) => (done = resolve));
    const record = async (name: string, answer: () => Promise<unknown>): Promise<void> => {
      outcomes.set(name, await answer().catch((error: unknown) => error));
      if (outcomes.size === count) done();
    };
    const bot: EventHandler = {
      interactionCreate: (_ctx, interaction) => record('interaction', () => interaction.reply('late')),
      groupAddRobot: (_ctx, event) => record('groupAddRobot', () => event.reply('hello')),
      friendAdd: (_ctx, event) => record('friendAdd', () => event.reply('hello')),
      guildMemberAdd: (_ctx, member) =>
        record('guildMemberAdd', () => member.reply(SEED.channels.hallGeneral, 'welcome')),
      forumThreadCreate: (_ctx, thread) =>
        record('forumThreadCreate', () => thread.reply(SEED.channels.hallGeneral, 'nice thread')),
    };
    harness = await startHarness([bot]);
    return { outcomes, all };
  }

  it('refuses with ReplyWindowClosedError "expired" and sends nothing, for interactions, group, friend, member and forum events', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    const { outcomes, all } = await answering(5);
    const emulator = harness!.emulator;
    const sixMinutesAgo = Date.now() - 6 * MINUTE;
    const guild = { guildId: SEED.guilds[0] };
    emulator.simulate.dispatch('INTERACTION_CREATE', {
      id: 'late-press',
      type: 11,
      scene: 'group',
      chat_type: 1,
      timestamp: iso(sixMinutesAgo),
      group_openid: 'ABCDEF0123456789ABCDEF0123456789',
      group_member_openid: 'M1',
      data: { type: 11, resolved: { button_id: 'b' } },
    });
    emulator.simulate.dispatch('GROUP_ADD_ROBOT', {
      timestamp: Math.floor(sixMinutesAgo / 1000),
      group_openid: 'ABCDEF0123456789ABCDEF0123456789',
      op_member_openid: 'M1',
    });
    // C2C answers have 60 minutes.
    emulator.simulate.dispatch('FRIEND_ADD', {
      timestamp: Math.floor((Date.now() - 61 * MINUTE) / 1000),
      openid: '0123456789ABCDEF0123456789ABCDEF',
    });
    emulator.simulate.dispatch(
      'GUILD_MEMBER_ADD',
      { guild_id: guild.guildId, joined_at: iso(sixMinutesAgo), user: { id: 'u9', username: 'Late' } },
      guild,
    );
    emulator.simulate.dispatch(
      'FORUM_THREAD_CREATE',
      {
        guild_id: guild.guildId,
        channel_id: SEED.channels.hallForum,
        author_id: 'u7',
        thread_info: { thread_id: 't1', title: 't', content: 'c', date_time: iso(sixMinutesAgo) },
      },
      guild,
    );
    await all;
    for (const [name, outcome] of outcomes) {
      expect(outcome, name).toBeInstanceOf(ReplyWindowClosedError);
      expect(outcome, name).toMatchObject({ kind: 'replyWindowClosed', reason: 'expired' });
    }
    const sends = emulator.recorder.filter((r) => r.kind === 'rest' && r.method === 'POST');
    expect(sends).toEqual([]);
  });

  it('opens the window at the stamp a minute ago, and at arrival for a stamp ahead of this clock (skew)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    const windows = new Map<string, { openedAt: Date; open: boolean } | undefined>();
    let done!: () => void;
    const all = new Promise<void>((resolve) => (done = resolve));
    const keep = (
      name: string,
      event: { replyWindow: { openedAt: Date; isOpen(): boolean } | undefined },
    ) => {
      const window = event.replyWindow;
      windows.set(name, window && { openedAt: window.openedAt, open: window.isOpen() });
      if (windows.size === 2) done();
    };
    harness = await startHarness([
      {
        groupAddRobot: (_ctx, event) => keep('group', event),
        friendAdd: (_ctx, event) => keep('friend', event),
      },
    ]);
    const stampedAgo = Math.floor((NOW - MINUTE) / 1000) * 1000;
    harness.emulator.simulate.dispatch('GROUP_ADD_ROBOT', {
      timestamp: stampedAgo / 1000,
      group_openid: SEED.groups.bookClub,
      op_member_openid: 'M1',
    });
    harness.emulator.simulate.dispatch('FRIEND_ADD', {
      timestamp: Math.floor((NOW + 5 * MINUTE) / 1000),
      openid: SEED.c2cUsers.judy,
    });
    await all;
    // A stamp is allowed 10 s of clock difference before it counts as older than its arrival.
    expect(windows.get('group')).toEqual({ openedAt: new Date(stampedAgo + 10_000), open: true });
    expect(windows.get('friend')).toEqual({ openedAt: new Date(NOW), open: true });
  });
});
