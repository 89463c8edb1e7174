import { describe, expect, it, vi } from 'vitest';
import { ReplySequencer } from '../src/models/ReplySequencer.js';
import { camelize } from '../src/models/camelize.js';
import {
  channelMentionIds,
  stripMentions,
  toDate,
  unescapeContent,
  userMentionIds,
} from '../src/models/content.js';

describe('content helpers', () => {
  it('unescapes the platform entities in one pass', () => {
    expect(unescapeContent('a &amp; b &lt;tag&gt; &amp;lt;')).toBe('a & b <tag> &lt;');
  });

  it('finds user and channel mentions and strips user mentions', () => {
    const content = '<@!1001> hi <@2002> see <#300>';
    expect(userMentionIds(content)).toEqual(['1001', '2002']);
    expect(channelMentionIds(content)).toEqual(['300']);
    expect(stripMentions('<@!1001>   !ping  ')).toBe('!ping');
  });

  it('reads RFC 3339 and Unix-second timestamps', () => {
    expect(toDate('2024-01-02T03:04:05+08:00')?.toISOString()).toBe('2024-01-01T19:04:05.000Z');
    expect(toDate(1_700_000_000)?.getTime()).toBe(1_700_000_000_000);
    expect(toDate('1700000000')?.getTime()).toBe(1_700_000_000_000);
    expect(toDate(undefined)).toBeUndefined();
  });

  it('camel-cases keys recursively', () => {
    expect(camelize({ op_user_id: '1', target: { emoji_type: 2 }, list: [{ file_info: 'x' }] })).toEqual({
      opUserId: '1',
      target: { emojiType: 2 },
      list: [{ fileInfo: 'x' }],
    });
  });
});

describe('ReplySequencer', () => {
  it('numbers replies per inbound message from 1', () => {
    const seq = new ReplySequencer();
    expect([seq.next('a'), seq.next('a'), seq.next('b'), seq.next('a')]).toEqual([1, 2, 1, 3]);
  });

  it('forgets messages past the reply window and beyond its capacity', () => {
    vi.useFakeTimers();
    try {
      const seq = new ReplySequencer(2, 1000);
      seq.next('a');
      seq.next('b');
      seq.next('c');
      expect(seq.size).toBe(2);
      vi.advanceTimersByTime(1000);
      expect(seq.next('b')).toBe(1);
      expect(seq.size).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('DedupeWindow', () => {
  it('drops repeats and forgets the oldest id once full', async () => {
    const { DedupeWindow } = await import('../src/dispatch/DedupeWindow.js');
    const window = new DedupeWindow(2);
    expect([window.check('a'), window.check('a'), window.check('b')]).toEqual([false, true, false]);
    expect(window.check('c')).toBe(false); // evicts a
    expect(window.size).toBe(2);
    expect([window.check('a'), window.check('c')]).toEqual([false, true]);
  });
});
