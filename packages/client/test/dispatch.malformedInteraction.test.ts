import { describe, expect, it } from 'vitest';
import {
  MalformedEventError,
  type BotError,
  type EventHandler,
  type ForumThread,
  type Interaction,
} from '@bot/client';
import { sequentialDispatcher } from './support/sequentialDispatcher.js';

/*
 * Interactions and forum events: a payload missing a field the model's type declares present, or
 * holding another type in a field the model types, reaches error() as a MalformedEventError
 * naming the field, never a handler reading it as its type says. Payloads as the documentation
 * and the platform give them (kinds the types do not list among them) still reach the handler.
 */

/** A group button press, as the emulator sends one. */
const press = {
  id: 'i1',
  application_id: '102',
  type: 11,
  scene: 'group',
  chat_type: 1,
  timestamp: '2026-12-07T14:00:00+08:00',
  group_openid: 'G1',
  group_member_openid: 'M1',
  version: 1,
  data: { type: 11, resolved: { button_data: 'vote:yes', button_id: 'b1' } },
};

const thread = {
  guild_id: 'g1',
  channel_id: 'c1',
  author_id: 'u1',
  thread_info: { thread_id: 't1', title: 'T', content: 'c', date_time: '2026-12-07T14:00:00+08:00' },
};

/** Delivers `d` as `event`; resolves to the model the handler got, or the error() report. */
async function deliver(event: string, d: unknown): Promise<{ model?: unknown; error?: BotError }> {
  const seen: { model?: unknown; error?: BotError } = {};
  const handler: EventHandler = {
    error: (error: BotError) => void (seen.error = error),
    interactionCreate: (_ctx, interaction: Interaction) => void (seen.model = interaction),
    forumThreadCreate: (_ctx, model: ForumThread) => void (seen.model = model),
  };
  const dispatcher = sequentialDispatcher(handler);
  dispatcher.deliver(0, { op: 0, t: event, id: 'e1', d });
  await dispatcher.onIdle();
  return seen;
}

async function refusedField(event: string, d: unknown): Promise<string> {
  const { model, error } = await deliver(event, d);
  expect(model).toBeUndefined();
  expect(error).toBeInstanceOf(MalformedEventError);
  return (error as MalformedEventError).field ?? '';
}

function without(payload: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _left, ...rest } = payload;
  return rest;
}

describe('INTERACTION_CREATE', () => {
  it('without its kind, or with another type there, reaches error() naming d.type', async () => {
    expect(await refusedField('INTERACTION_CREATE', without(press, 'type'))).toBe('d.type');
    expect(await refusedField('INTERACTION_CREATE', { ...press, type: '11' })).toBe('d.type');
  });

  it('with a typed field of another type reaches error() naming it', async () => {
    const resolved = press.data.resolved;
    const cases: [Record<string, unknown>, string][] = [
      [{ ...press, data: 'x' }, 'd.data'],
      [{ ...press, data: { type: '11', resolved } }, 'd.data.type'],
      [{ ...press, data: { type: 11, resolved: [] } }, 'd.data.resolved'],
      [
        { ...press, data: { type: 11, resolved: { ...resolved, button_data: 5 } } },
        'd.data.resolved.button_data',
      ],
      [
        { ...press, data: { type: 11, resolved: { ...resolved, button_id: 21 } } },
        'd.data.resolved.button_id',
      ],
      [{ ...press, data: { type: 11, resolved: { ...resolved, user_id: {} } } }, 'd.data.resolved.user_id'],
      [{ ...press, scene: 2 }, 'd.scene'],
      [{ ...press, chat_type: true }, 'd.chat_type'],
      [{ ...press, timestamp: 1 }, 'd.timestamp'],
      [{ ...press, group_openid: 7 }, 'd.group_openid'],
      [{ ...press, group_member_openid: [] }, 'd.group_member_openid'],
      [{ ...press, user_openid: 7 }, 'd.user_openid'],
      [{ ...press, channel_id: 7 }, 'd.channel_id'],
      [{ ...press, guild_id: 7 }, 'd.guild_id'],
    ];
    for (const [d, field] of cases) expect(await refusedField('INTERACTION_CREATE', d)).toBe(field);
  });

  it('as the documentation shows it, and of a kind the types do not list, reaches the handler', async () => {
    // The documented example: no scene, no timestamp, no target id.
    const documented = {
      chat_type: 2,
      data: { resolved: { button_data: 'b', button_id: '21', user_id: 'U' }, type: 11 },
      id: '30540ff7',
      type: 11,
      version: 1,
    };
    // A feedback press (kind 13): its resolved object holds other fields.
    const feedback = {
      chat_type: 2,
      data: { resolved: { checked: 1, feedback_opt: 'LIKE' }, type: 13 },
      id: 'd7c035a7',
      scene: 'c2c',
      timestamp: '2024-09-03T17:27:04+08:00',
      type: 13,
    };
    for (const d of [
      press,
      documented,
      feedback,
      { id: 'i2', type: 11 },
      { ...press, data: { resolved: {} } },
    ]) {
      const { model, error } = await deliver('INTERACTION_CREATE', d);
      expect(error).toBeUndefined();
      expect((model as Interaction).id).toBe(d.id);
    }
  });
});

describe('FORUM_THREAD_CREATE', () => {
  it('without an id its type declares present reaches error() naming it', async () => {
    for (const key of ['guild_id', 'channel_id', 'author_id']) {
      expect(await refusedField('FORUM_THREAD_CREATE', without(thread, key))).toBe(`d.${key}`);
      expect(await refusedField('FORUM_THREAD_CREATE', { ...thread, [key]: '' })).toBe(`d.${key}`);
    }
  });

  it('with numeric ids, as the documentation shows them, or no nested object, reaches the handler', async () => {
    const numeric = { ...thread, guild_id: 47129941624960822, channel_id: 1661124, author_id: 144115 };
    for (const d of [thread, numeric, without(thread, 'thread_info')]) {
      const { model, error } = await deliver('FORUM_THREAD_CREATE', d);
      expect(error).toBeUndefined();
      expect((model as ForumThread).channelId).toBe(d.channel_id);
    }
  });
});
