import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Client, Intents, Token, ValidationError, type GroupMessage } from '@bot/client';
import { ReplySequencer } from '../src/models/ReplySequencer.js';
import { startHarness, type Harness } from './support/harness.js';
import { recordingLogger } from './support/recordingLogger.js';

/*
 * Past its capacity the sequencer forgets the numbers of the oldest messages, some of them still
 * open for replies: a further reply to one numbers from 1 again and pays a refused request per
 * number it used before (docs/protocol.md §8.2, §11.1). The user learns it from a warning when
 * such a reply is made, naming the message, the bound and how to raise it; at most one a minute.
 */
describe('ReplySequencer: a reply to a message it forgot for room', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('warns once, naming the message, the capacity and the builder step that raises it', () => {
    const { log, lines } = recordingLogger();
    const replies = new ReplySequencer(2, 60_000, log);
    replies.next('m-a');
    replies.next('m-b');
    replies.next('m-c');
    expect(lines).toEqual([]);

    expect(replies.next('m-a')).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.level).toBe('WARN');
    const warning = String(lines[0]?.message);
    expect(warning).toContain('m-a');
    expect(warning).toContain('more than 2 messages');
    expect(warning).toContain('replySequencerCapacity');
    // Numbered again from here: its next reply is no news.
    replies.next('m-a');
    expect(lines).toHaveLength(1);
  });

  it('says nothing of a message new to it, or of one whose reply window passed', () => {
    const { log, lines } = recordingLogger();
    const replies = new ReplySequencer(2, 60_000, log);
    replies.next('old');
    replies.next('b');
    replies.next('c');
    vi.advanceTimersByTime(60_000);
    expect(replies.next('old')).toBe(1);
    expect(replies.next('new')).toBe(1);
    expect(lines).toEqual([]);
  });

  it('warns at most once a minute, the next warning counting the replies in between', () => {
    const { log, lines } = recordingLogger();
    const replies = new ReplySequencer(10, 60 * 60_000, log);
    const ids = Array.from({ length: 20 }, (_, n) => `m${n}`);
    // m0…m9 are forgotten for m10…m19.
    for (const id of ids) replies.next(id);

    for (const id of ids.slice(0, 5)) replies.next(id);
    expect(lines).toHaveLength(1);
    expect(String(lines[0]?.message)).toContain('m0');

    vi.advanceTimersByTime(59_999);
    replies.next(ids[5]!);
    expect(lines).toHaveLength(1);
    vi.advanceTimersByTime(1);
    replies.next(ids[6]!);
    expect(lines).toHaveLength(2);
    expect(String(lines[1]?.message)).toContain('m6');
    expect(String(lines[1]?.message)).toContain('5 more');
  });

  it('tells the replies counted since its last warning on the first reply to a new message once the minute is over', () => {
    const { log, lines } = recordingLogger();
    const replies = new ReplySequencer(2, 10 * 60_000, log);
    for (const id of ['m0', 'm1', 'm2', 'm3']) replies.next(id);
    // m0 and m1 were forgotten for m2 and m3: the first reply to one warns, the second is counted.
    replies.next('m0');
    replies.next('m1');
    expect(lines).toHaveLength(1);
    expect(String(lines[0]?.message)).toContain('within 10 min');

    vi.advanceTimersByTime(59_999);
    replies.next('fresh-1');
    expect(lines).toHaveLength(1);
    vi.advanceTimersByTime(1);
    replies.next('fresh-2');
    expect(lines).toHaveLength(2);
    expect(String(lines[1]?.message)).toBe(
      '1 more reply went to messages whose msg_seq numbers were forgotten, since the last such ' +
        "warning. Raise the sequencer's capacity (ClientBuilder.replySequencerCapacity(n)) above the " +
        'number of messages the bot replies to within 10 min.',
    );
    // Told once: nothing is left to count.
    vi.advanceTimersByTime(60_000);
    replies.next('fresh-3');
    expect(lines).toHaveLength(2);
  });

  it('names its window in minutes only when it is whole minutes, and one message as one', () => {
    const { log, lines } = recordingLogger();
    const replies = new ReplySequencer(1, 90_000, log);
    replies.next('m-a');
    replies.next('m-b');
    replies.next('m-a');
    const warning = String(lines[0]?.message);
    expect(warning).toContain('more than 1 message was replied to within 90 s');
    expect(warning).toContain('replies to within 90 s.');
  });

  it('remembers at most as many forgotten messages as its capacity, the latest', () => {
    const { log, lines } = recordingLogger();
    const replies = new ReplySequencer(2, 60 * 60_000, log);
    for (let n = 0; n < 10; n++) replies.next(`m${n}`);
    // m0…m7 were forgotten; only m6 and m7 are remembered as such.
    replies.next('m0');
    expect(lines).toEqual([]);
    replies.next('m7');
    expect(lines).toHaveLength(1);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new ReplySequencer(0)).toThrow(/capacity/);
    expect(() => new ReplySequencer(1.5)).toThrow(/capacity/);
  });
});

describe('ClientBuilder.replySequencerCapacity', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  it("bounds the client's reply numbering: a reply to a message it forgot still goes out, and the client's logger warns", async () => {
    const { log, lines } = recordingLogger();
    const received: GroupMessage[] = [];
    const answered: Array<Promise<unknown>> = [];
    harness = await startHarness(
      [
        {
          groupMessageCreate(_ctx, message: GroupMessage) {
            received.push(message);
            answered.push(message.reply(`re: ${message.cleanContent}`));
          },
        },
      ],
      (builder) => builder.logger(log).replySequencerCapacity(2),
    );
    for (const content of ['first', 'second', 'third']) {
      harness.emulator.simulate.groupAtMessage({ content });
      await vi.waitFor(() => expect(received.map((message) => message.cleanContent)).toContain(content));
    }
    await Promise.all(answered);
    expect(lines.filter((line) => line.level === 'WARN')).toEqual([]);

    const first = received[0]!;
    await expect(first.reply('first, again')).resolves.toMatchObject({ id: expect.any(String) });
    const warnings = lines.filter((line) => line.level === 'WARN');
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0]?.message)).toContain(first.id);
    const posted = harness.emulator.world.messages
      .inConversation('group', first.groupOpenid)
      .filter((message) => message.fromBot)
      .map((message) => message.content);
    expect(posted).toEqual(['re: first', 're: second', 're: third', 'first, again']);
  });

  it('refuses a capacity that is not a positive integer', () => {
    const builder = Client.builder(new Token('1', 'secret'), Intents.all());
    expect(() => builder.replySequencerCapacity(0)).toThrow(ValidationError);
    expect(() => builder.replySequencerCapacity(2.5)).toThrow(/replySequencerCapacity/);
  });
});
