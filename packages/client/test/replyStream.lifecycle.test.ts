import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BotApi, GroupMessageCreate } from '@bot/http';
import {
  GroupMessage,
  OneMessageSink,
  OpenReplyStreams,
  ReplySequencer,
  ReplyStream,
  ReplyWindow,
  ReplyWindowClosedError,
  REPLY_CLOCK_SKEW_MS,
  type ReplyStreamSink,
} from '@bot/client';
import { recordingSink, type SentFrame } from './support/recordingSink.js';

describe('ReplyStream lifecycle (fake clock)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends no frame while the text is blank, and end() on blank text settles with 0 frames and gives the reply back', async () => {
    vi.useFakeTimers();
    const sink = recordingSink();
    const window = new ReplyWindow('c2c', 'm');
    const stream = new ReplyStream(sink, window, 'enforce', { intervalMs: 300 });
    stream.write('\n');
    await vi.advanceTimersByTimeAsync(1000);
    stream.write('  \n');
    await vi.advanceTimersByTimeAsync(1000);
    expect(sink.frames).toEqual([]);
    await expect(stream.end()).resolves.toEqual({
      text: '',
      frames: 0,
      streamId: undefined,
      streamed: false,
    });
    expect(window.used).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a stream nobody writes to for idleTimeoutMs is aborted and closed with its text; end() says "idle"', async () => {
    vi.useFakeTimers();
    const sink = recordingSink();
    const stream = new ReplyStream(sink, new ReplyWindow('c2c', 'm'), 'enforce', {
      intervalMs: 300,
      idleTimeoutMs: 5_000,
    });
    stream.write('thinking');
    await vi.advanceTimersByTimeAsync(4_999);
    expect(stream.state).toBe('open');
    stream.write('…');
    await vi.advanceTimersByTimeAsync(4_999);
    expect(stream.state).toBe('open');
    await vi.advanceTimersByTimeAsync(1);
    await vi.advanceTimersByTimeAsync(300);

    expect(stream.state).toBe('aborted');
    await expect(stream.end()).rejects.toMatchObject({ kind: 'replyStream', failure: 'idle' });
    expect(sink.frames.at(-1)).toEqual({ text: 'thinking…', done: true });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('abort() cuts a frame in flight short through its signal instead of waiting for its answer, then closes the stream', async () => {
    const frames: SentFrame[] = [];
    let hung = 0;
    const sink: ReplyStreamSink = {
      streaming: true,
      streamId: 's',
      get index() {
        return frames.length;
      },
      frame(text, done, signal) {
        // The second frame never gets an answer: only its signal ends it.
        if (frames.length === 1 && !done)
          return new Promise((_resolve, reject) => {
            hung++;
            signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
          });
        frames.push({ text, done });
        return Promise.resolve();
      },
    };
    const stream = new ReplyStream(sink, new ReplyWindow('c2c', 'm'), 'enforce', { intervalMs: 300 });
    stream.write('a');
    await vi.waitFor(() => expect(frames).toHaveLength(1));
    stream.write('b');
    await vi.waitFor(() => expect(hung).toBe(1), { timeout: 2000 });
    await stream.abort(new Error('user left'));
    expect(stream.state).toBe('aborted');
    expect(frames).toEqual([
      { text: 'a', done: false },
      { text: 'ab', done: true },
    ]);
  });

  it('refuses an idle timeout that is not a positive integer', () => {
    for (const idleTimeoutMs of [0, -1, 1.5, Number.NaN])
      expect(
        () => new ReplyStream(recordingSink(), new ReplyWindow('c2c', 'm'), 'enforce', { idleTimeoutMs }),
      ).toThrow(/idleTimeoutMs/);
  });

  it('a client keeps a bounded set of open streams: past the bound a new stream is refused and counts nothing; abortAll() closes every open one', async () => {
    const open = new OpenReplyStreams(1);
    const sink = recordingSink();
    const first = new ReplyStream(sink, new ReplyWindow('c2c', 'a'), 'enforce', {}, open);
    const window = new ReplyWindow('c2c', 'b');
    expect(() => new ReplyStream(recordingSink(), window, 'enforce', {}, open)).toThrow(
      expect.objectContaining({ kind: 'replyStream', failure: 'tooMany' }),
    );
    expect(window.used).toBe(0);
    first.write('partial');
    await vi.waitFor(() => expect(sink.frames).toHaveLength(1));
    await open.abortAll(new Error('shutting down'));
    expect(first.state).toBe('aborted');
    expect(sink.frames.at(-1)).toEqual({ text: 'partial', done: true });
    expect(open.size).toBe(0);
  });

  it('the group fallback whose window closed while the text was written fails with the ReplyWindowClosedError itself', async () => {
    vi.useFakeTimers();
    const window = new ReplyWindow('group', 'm');
    const sent: string[] = [];
    const sink = new OneMessageSink((text) => window.run('enforce', async () => sent.push(text)));
    // Idle for longer than the window, so the window is what ends it.
    const stream = new ReplyStream(sink, window, 'enforce', { idleTimeoutMs: 10 * 60_000 });
    stream.write('late answer');
    // Both clocks pass the window's end: it is judged on both.
    vi.advanceTimersByTime(window.timeLeft());
    const error = await stream.end().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReplyWindowClosedError);
    expect(sent).toEqual([]);
  });
});

describe('the reply window opens when the platform stamped the message, not when the model was built', () => {
  const binding = { api: {} as BotApi, replies: new ReplySequencer() };

  function groupMessage(timestamp: string): GroupMessage {
    const data = {
      id: 'm1',
      content: 'hi',
      timestamp,
      group_openid: 'g',
      group_id: 'g',
      author: { id: 'u', member_openid: 'u' },
    } as unknown as GroupMessageCreate;
    return new GroupMessage(data, binding, 'e1');
  }

  afterEach(() => {
    vi.useRealTimers();
  });

  it('a group message that waited 6 minutes in a backlog is refused locally, without a request', async () => {
    vi.useFakeTimers();
    const now = Date.parse('2026-01-01T12:00:00Z');
    vi.setSystemTime(now);
    const message = groupMessage(new Date(now - 6 * 60_000).toISOString());
    expect(message.replyWindow.openedAt.getTime()).toBe(now - 6 * 60_000 + REPLY_CLOCK_SKEW_MS);
    expect(message.replyWindow.isOpen()).toBe(false);
    await expect(message.reply('too late')).rejects.toMatchObject({
      kind: 'replyWindowClosed',
      reason: 'expired',
    });
  });

  it('a platform clock a little ahead of ours never shortens the window: it opens when the message arrived', () => {
    vi.useFakeTimers();
    const now = Date.parse('2026-01-01T12:00:00Z');
    vi.setSystemTime(now);
    const message = groupMessage(new Date(now + 5_000).toISOString());
    expect(message.replyWindow.openedAt.getTime()).toBe(now);
  });
});

describe('the one-message fallback of a markdown stream', () => {
  it('sends the text without markdown syntax, or as written for contentType "text"', async () => {
    const sent: string[] = [];
    const binding = {
      api: {
        groups: {
          send: async (_group: string, params: { toBody(): { content?: string } }) => {
            sent.push(params.toBody().content ?? '');
            return { id: 'r', timestamp: '' };
          },
        },
      } as unknown as BotApi,
      replies: new ReplySequencer(),
    };
    const data = {
      id: 'm2',
      content: 'hi',
      timestamp: new Date().toISOString(),
      group_openid: 'g',
      group_id: 'g',
      author: { id: 'u', member_openid: 'u' },
    } as unknown as GroupMessageCreate;
    const message = new GroupMessage(data, binding, 'e2');
    await message.replyStreamFrom(['# Title\n', '**bold** and [a link](https://e.com)']);
    await message.replyStreamFrom(['**as written**'], { contentType: 'text' });
    expect(sent).toEqual(['Title\nbold and a link', '**as written**']);
  });
});
