import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWireValue } from '@bot/core';
import { SEED } from '@bot/testing';
import {
  EVENT_TABLE,
  MalformedEventError,
  ValidationError,
  type BotError,
  type Context,
  type EventHandler,
  type Message,
} from '@bot/client';
import { startHarness, type Harness } from './support/harness.js';

/*
 * The snapshot models (guild, channel, audits, open forum, audio) and the guild message's author:
 * a payload missing a field the model's type declares required, or holding another type there,
 * reaches error() as a MalformedEventError naming the field; no handler sees it with the field
 * `undefined` behind a type that says it is there. An optional field is checked when present: one
 * of another type (`owner_id: {}`) is left off the model, as one that is `null` is, and told as a
 * process warning naming the model, the field and the value; the event still reaches its handler
 * (a GUILD_DELETE refused for its `owner` would leave the bot unaware it was removed). A guild's
 * `icon` and `joined_at`, which the documentation warns are not in a standard form yet, are passed
 * on as received. Well-formed payloads still reach the handler.
 */

const guildId = SEED.guilds[0];
const channelId = SEED.channels.hallGeneral;
const routing = { guildId };

interface Case {
  event: string;
  /** A payload the model accepts. */
  valid: Record<string, unknown>;
  /** Each required field and a value of another type for it. */
  required: Record<string, unknown>;
  /** Each optional field of the wire type and a value of another type for it. */
  optional: Record<string, unknown>;
}

const cases: Case[] = [
  {
    event: 'GUILD_CREATE',
    valid: {
      id: 'g9',
      name: 'Nine',
      icon: 'https://example.invalid/nine.png',
      owner_id: SEED.users.alice,
      owner: false,
      member_count: 3,
      max_members: 100,
      description: 'the ninth',
      joined_at: '2026-12-07T14:00:00+08:00',
      op_user_id: SEED.users.alice,
    },
    required: { id: 9, name: 9 },
    optional: {
      owner_id: {},
      owner: 'no',
      member_count: '3',
      max_members: 1.5,
      description: ['the ninth'],
      op_user_id: 9,
    },
  },
  {
    event: 'CHANNEL_CREATE',
    valid: {
      id: 'c9',
      guild_id: guildId,
      name: 'nine',
      type: 0,
      sub_type: 0,
      position: 2,
      parent_id: 'c1',
      owner_id: SEED.users.alice,
      private_type: 0,
      speak_permission: 1,
      application_id: '1000',
      permissions: '6',
      op_user_id: SEED.users.alice,
    },
    required: { id: 9, guild_id: 9, name: ['nine'], type: '0' },
    optional: {
      sub_type: '0',
      position: true,
      parent_id: 1,
      owner_id: {},
      private_type: 0.5,
      speak_permission: '1',
      application_id: 1000,
      permissions: 6,
      op_user_id: [],
    },
  },
  {
    event: 'MESSAGE_AUDIT_PASS',
    valid: {
      audit_id: 'a9',
      message_id: 'm9',
      guild_id: guildId,
      channel_id: channelId,
      audit_time: 't',
      create_time: 't',
      seq_in_channel: '9',
    },
    required: { audit_id: '', guild_id: 9, channel_id: {}, audit_time: 9 },
    optional: { message_id: 9, create_time: {}, seq_in_channel: 9 },
  },
  {
    event: 'FORUM_PUBLISH_AUDIT_RESULT',
    valid: {
      guild_id: guildId,
      channel_id: channelId,
      author_id: 'u9',
      thread_id: 't9',
      post_id: 9,
      reply_id: 'r9',
      type: 1,
      result: 0,
      err_msg: '',
    },
    required: { guild_id: true, channel_id: '', author_id: {}, type: '1' },
    optional: { thread_id: {}, post_id: [], reply_id: true, result: '0', err_msg: 5 },
  },
  {
    event: 'OPEN_FORUM_THREAD_CREATE',
    valid: { guild_id: guildId, channel_id: channelId, author_id: 'u9' },
    required: { guild_id: false, channel_id: [], author_id: '' },
    optional: {},
  },
  {
    event: 'AUDIO_START',
    valid: {
      guild_id: guildId,
      channel_id: channelId,
      audio_url: 'https://example.invalid/a.mp3',
      text: 'a',
    },
    required: { guild_id: 9, channel_id: '' },
    optional: { audio_url: {}, text: 5 },
  },
  {
    event: 'AUDIO_OR_LIVE_CHANNEL_MEMBER_ENTER',
    valid: { guild_id: guildId, channel_id: channelId, channel_type: 2, user_id: SEED.users.alice },
    required: { guild_id: 9, channel_id: 9, channel_type: '2', user_id: 9 },
    optional: {},
  },
];

/** A guild message with every required field, its author given by the caller. */
function guildMessage(author: unknown): Record<string, unknown> {
  return {
    id: `m-${Math.random()}`,
    channel_id: channelId,
    guild_id: guildId,
    content: 'hi',
    timestamp: new Date().toISOString(),
    author,
  };
}

describe('a snapshot or guild message payload missing a required field', () => {
  const errors: BotError[] = [];
  const models = new Map<string, unknown[]>();
  const warnings: Array<Error & { code?: string }> = [];
  const onWarning = (warning: Error): void => void warnings.push(warning);
  let harness: Harness;
  beforeAll(async () => {
    process.on('warning', onWarning);
    const handler: Record<string, unknown> = { error: (error: BotError) => void errors.push(error) };
    for (const { method } of Object.values(EVENT_TABLE)) {
      handler[method] = (_ctx: Context, model: unknown) => {
        const seen = models.get(method) ?? [];
        seen.push(model);
        models.set(method, seen);
      };
    }
    harness = await startHarness([handler as EventHandler]);
    await harness.client.idle();
  });
  afterAll(async () => {
    process.off('warning', onWarning);
    await harness.stop();
  });

  /** Publishes `payload` as `event` and waits until the client has handled it. */
  async function publish(event: string, payload: unknown): Promise<string> {
    const published = harness.emulator.simulate.dispatch(event as never, payload as never, routing);
    await expect
      .poll(
        () =>
          errors.some((error) => (error as MalformedEventError).eventId === published.id) ||
          [...models.values()].flat().length > handledBefore,
      )
      .toBe(true);
    await harness.client.idle();
    return published.id;
  }
  let handledBefore = 0;

  it.each(cases)(
    '$event: each required field missing or of another type is refused, naming it',
    async (c) => {
      const method = EVENT_TABLE[c.event as keyof typeof EVENT_TABLE].method;
      for (const [field, wrong] of Object.entries(c.required)) {
        for (const payload of [
          Object.fromEntries(Object.entries(c.valid).filter(([key]) => key !== field)),
          { ...c.valid, [field]: wrong },
        ]) {
          handledBefore = [...models.values()].flat().length;
          const id = await publish(c.event, payload);
          const error = errors.find((e) => (e as MalformedEventError).eventId === id);
          expect(error, `${c.event} ${JSON.stringify(payload)}`).toBeInstanceOf(MalformedEventError);
          expect(error).toMatchObject({ event: c.event, field: `d.${field}` });
          expect(error?.cause).toBeInstanceOf(ValidationError);
          expect(models.get(method) ?? []).toHaveLength(0);
        }
      }
    },
  );

  it.each(cases.filter((c) => Object.keys(c.optional).length > 0))(
    '$event: each optional field of another type is left off the delivered model and told as a warning',
    async (c) => {
      const method = EVENT_TABLE[c.event as keyof typeof EVENT_TABLE].method;
      for (const [field, wrong] of Object.entries(c.optional)) {
        const before = models.get(method)?.length ?? 0;
        handledBefore = [...models.values()].flat().length;
        const id = await publish(c.event, { ...c.valid, [field]: wrong });
        expect(errors.find((e) => (e as MalformedEventError).eventId === id)).toBeUndefined();
        expect(models.get(method), `${c.event} ${field}: ${JSON.stringify(wrong)}`).toHaveLength(before + 1);
        const model = models.get(method)!.at(-1) as Record<string, unknown>;
        const name = field.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
        expect(name in model, `${c.event} ${name}`).toBe(false);
        // The other fields are still copied.
        const other = Object.keys(c.optional).find((key) => key !== field)!;
        expect(model[other.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase())]).toEqual(
          c.valid[other],
        );
        await expect.poll(() => warnings.filter((w) => w.message.includes(`d.${field} `))).toHaveLength(1);
        const warning = warnings.find((w) => w.message.includes(`d.${field} `))!;
        expect(warning.code).toBe('BOT_EVENT_FIELD_LEFT_OFF');
        expect(warning.message).toContain(model.constructor.name);
        expect(warning.message).toContain(`got ${describeWireValue(wrong)}`);
        warnings.length = 0;
      }
    },
  );

  it('GUILD_*: icon and joined_at, which the documentation says are not standardized, are passed on as received', async () => {
    for (const [icon, joinedAt] of [
      [5, 1_700_000_000],
      [{ url: 'x' }, ['2026']],
      ['https://example.invalid/nine.png', '2026-12-07T14:00:00+08:00'],
    ]) {
      const before = models.get('guildDelete')?.length ?? 0;
      handledBefore = [...models.values()].flat().length;
      const id = await publish('GUILD_DELETE', { id: 'g9', name: 'Nine', icon, joined_at: joinedAt });
      expect(errors.find((e) => (e as MalformedEventError).eventId === id)).toBeUndefined();
      expect(models.get('guildDelete')).toHaveLength(before + 1);
      expect(models.get('guildDelete')!.at(-1)).toMatchObject({ id: 'g9', icon, joinedAt });
    }
    expect(warnings).toEqual([]);
  });

  it.each(cases.filter((c) => Object.keys(c.optional).length > 0))(
    '$event: optional fields left out or null are delivered as absent',
    async (c) => {
      const method = EVENT_TABLE[c.event as keyof typeof EVENT_TABLE].method;
      const required = Object.fromEntries(Object.entries(c.valid).filter(([key]) => key in c.required));
      const nulls = Object.fromEntries(Object.keys(c.optional).map((key) => [key, null]));
      for (const payload of [required, { ...required, ...nulls }]) {
        const before = models.get(method)?.length ?? 0;
        handledBefore = [...models.values()].flat().length;
        const id = await publish(c.event, payload);
        expect(errors.find((e) => (e as MalformedEventError).eventId === id)).toBeUndefined();
        expect(models.get(method)).toHaveLength(before + 1);
        const model = models.get(method)!.at(-1) as Record<string, unknown>;
        for (const key of Object.keys(c.optional)) {
          const name = key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
          expect(model[name], `${c.event} ${name}`).toBeUndefined();
        }
      }
    },
  );

  it.each(cases)('$event: a well-formed payload still reaches the handler', async (c) => {
    const method = EVENT_TABLE[c.event as keyof typeof EVENT_TABLE].method;
    const before = models.get(method)?.length ?? 0;
    handledBefore = [...models.values()].flat().length;
    const id = await publish(c.event, c.valid);
    expect(errors.find((e) => (e as MalformedEventError).eventId === id)).toBeUndefined();
    expect(models.get(method)).toHaveLength(before + 1);
  });

  it('a forum snapshot accepts ids given as numbers, as the documentation shows them', async () => {
    for (const event of ['OPEN_FORUM_POST_CREATE', 'FORUM_PUBLISH_AUDIT_RESULT']) {
      const method = EVENT_TABLE[event as keyof typeof EVENT_TABLE].method;
      handledBefore = [...models.values()].flat().length;
      const id = await publish(event, { guild_id: 1, channel_id: 2, author_id: 3, type: 2, result: 0 });
      expect(errors.find((e) => (e as MalformedEventError).eventId === id)).toBeUndefined();
      expect(models.get(method)?.at(-1)).toMatchObject({ guildId: 1, channelId: 2, authorId: 3 });
    }
  });

  it.each([
    ['MESSAGE_AUDIT_PASS', { audit_id: 'a8', guild_id: guildId, channel_id: channelId, audit_time: 't' }],
    ['FORUM_PUBLISH_AUDIT_RESULT', { guild_id: guildId, channel_id: channelId, author_id: 'u8', type: 1 }],
  ])(
    '%s without a field live traffic has been seen without still reaches the handler',
    async (event, payload) => {
      const method = EVENT_TABLE[event as keyof typeof EVENT_TABLE].method;
      const before = models.get(method)?.length ?? 0;
      handledBefore = [...models.values()].flat().length;
      const id = await publish(event, payload);
      expect(errors.find((e) => (e as MalformedEventError).eventId === id)).toBeUndefined();
      expect(models.get(method)).toHaveLength(before + 1);
    },
  );

  it.each([
    ['AT_MESSAGE_CREATE', {}],
    ['MESSAGE_CREATE', { id: 7, username: 'seven' }],
    ['DIRECT_MESSAGE_CREATE', { id: '', username: 'empty' }],
  ])('%s with author %j is refused, naming d.author.id', async (event, author) => {
    const method = EVENT_TABLE[event as keyof typeof EVENT_TABLE].method;
    const before = models.get(method)?.length ?? 0;
    handledBefore = [...models.values()].flat().length;
    const id = await publish(event, guildMessage(author));
    const error = errors.find((e) => (e as MalformedEventError).eventId === id);
    expect(error).toBeInstanceOf(MalformedEventError);
    expect(error).toMatchObject({ event, field: 'd.author.id' });
    expect(error?.message).toMatch(/d\.author\.id must be a non-empty string/);
    expect(models.get(method)?.length ?? 0).toBe(before);
  });

  it('a mention without an id is refused when the mentions are read, naming the item', async () => {
    const before = models.get('messageCreate')?.length ?? 0;
    handledBefore = [...models.values()].flat().length;
    await publish('AT_MESSAGE_CREATE', {
      ...guildMessage({ id: SEED.users.alice, username: 'alice' }),
      mentions: [{ id: SEED.users.bob, username: 'bob' }, { username: 'nobody' }],
    });
    const message = models.get('messageCreate')![before] as Message;
    expect(message.author.id).toBe(SEED.users.alice);
    expect(() => message.mentions).toThrow(ValidationError);
    expect(() => message.mentions).toThrow(/d\.mentions\[1\]\.id must be a non-empty string/);
  });
});
