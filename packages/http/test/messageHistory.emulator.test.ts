import { describe, expect, it } from 'vitest';
import { ApiError, MAX_MESSAGE_PAGE, ValidationError, type ChannelMessageListQuery } from '@bot/http';
import { SEED } from '@bot/testing';
import { useEmulatorRest } from './support/emulatorRest.js';

// A page of a channel's history (docs/protocol.md §8.11): one anchor at most, `limit` 1–20,
// newest first; the anchors and the limit are checked before anything is sent.

/** Bypasses the compile-time type, to send what a JavaScript caller could. */
const untyped = <T>(value: unknown): T => value as T;

describe('channel message history against the emulator', () => {
  const setup = useEmulatorRest();
  const channelId = SEED.channels.hallGeneral;
  /** Five messages in the channel, oldest first: three from users, two from the bot. */
  const post = async (): Promise<string[]> => {
    const ids: string[] = [];
    for (const content of ['one', 'two', 'three'])
      ids.push(setup.emulator.simulate.guildMessage({ channelId, content }).d.id);
    const [replyTo = ''] = ids;
    for (const content of ['four', 'five']) {
      const sent = await setup.api.messages.send(channelId, { content, msg_id: replyTo });
      if (!('id' in sent)) throw new Error('the emulator held a reply for audit');
      ids.push(sent.id);
    }
    return ids;
  };
  const historyCalls = () =>
    setup.emulator.recorder.filter(
      (r) => r.kind === 'rest' && r.route === 'GET /channels/{channel_id}/messages',
    );
  const ids = (messages: readonly { id: string }[]) => messages.map((message) => message.id);

  it('reads the latest messages newest first, users and bot alike', async () => {
    const [a, b, c, d, e] = await post();
    expect(ids(await setup.api.messages.list(channelId))).toEqual([e, d, c, b, a]);
    expect(ids(await setup.api.messages.list(channelId, { limit: 2 }))).toEqual([e, d]);
    const [first] = await setup.api.messages.list(channelId, { limit: 1 });
    expect(first).toMatchObject({ id: e, channel_id: channelId, content: 'five' });
    expect(historyCalls().map((r) => (r.kind === 'rest' ? r.query : undefined))).toEqual([
      {},
      { limit: '2' },
      { limit: '1' },
    ]);
  });

  it('pages before, after and around a message', async () => {
    const [a, b, c, d, e] = await post();
    expect(ids(await setup.api.messages.list(channelId, { before: d ?? '', limit: 2 }))).toEqual([c, b]);
    expect(ids(await setup.api.messages.list(channelId, { after: b ?? '', limit: 2 }))).toEqual([d, c]);
    expect(ids(await setup.api.messages.list(channelId, { around: c ?? '', limit: 3 }))).toEqual([d, c, b]);
    expect(ids(await setup.api.messages.list(channelId, { before: a ?? '' }))).toEqual([]);
    expect(ids(await setup.api.messages.list(channelId, { after: b ?? '' }))).toEqual([e, d, c]);
    expect(historyCalls().map((r) => (r.kind === 'rest' ? r.query : undefined))[0]).toEqual({
      before: d,
      limit: '2',
    });
  });

  it('forgets a recalled message', async () => {
    const [, , c, d] = await post();
    await setup.api.messages.recall(channelId, d ?? '');
    expect(ids(await setup.api.messages.list(channelId, { limit: 2 }))).toContain(c);
    expect(ids(await setup.api.messages.list(channelId))).not.toContain(d);
  });

  it.each<[string, ChannelMessageListQuery, string]>([
    ['two anchors', { before: '1', after: '2' }, 'query'],
    ['all three anchors', { around: '1', before: '2', after: '3' }, 'query'],
    ['an empty anchor', { around: '' }, 'query.around'],
    ['a limit of 0', { limit: 0 }, 'query.limit'],
    [`a limit past ${MAX_MESSAGE_PAGE}`, { limit: MAX_MESSAGE_PAGE + 1 }, 'query.limit'],
    ['a fractional limit', { limit: 1.5 }, 'query.limit'],
    ['a limit given as text', untyped({ limit: '5' }), 'query.limit'],
  ])('refuses %s before sending', async (_name, query, field) => {
    const error = await setup.api.messages.list(channelId, query).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe(field);
    expect(historyCalls()).toEqual([]);
  });

  it('refuses an empty channel id and a query that is not an object before sending', async () => {
    await expect(setup.api.messages.list('')).rejects.toMatchObject({ field: 'channelId' });
    await expect(setup.api.messages.list(channelId, untyped(null))).rejects.toMatchObject({ field: 'query' });
    expect(historyCalls()).toEqual([]);
  });

  it('reports the platform refusing an unknown channel or anchor', async () => {
    await post();
    const unknownChannel = await setup.api.messages.list('9999').catch((caught: unknown) => caught);
    expect(unknownChannel).toBeInstanceOf(ApiError);
    expect(unknownChannel).toMatchObject({ status: 404 });
    const unknownAnchor = await setup.api.messages
      .list(channelId, { before: '424242' })
      .catch((caught: unknown) => caught);
    expect(unknownAnchor).toBeInstanceOf(ApiError);
    expect(unknownAnchor).toMatchObject({ status: 404 });
  });
});
