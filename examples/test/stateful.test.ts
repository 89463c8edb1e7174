import { describe, expect, it } from 'vitest';
import { answerCommand, formatDuration } from '../stateful/commands.js';
import { StatsBook } from '../stateful/stats.js';

const startedAt = new Date('2025-01-01T00:00:00Z');
const at = (seconds: number): Date => new Date(startedAt.getTime() + seconds * 1000);

/** Records `user`'s message at `seconds` and answers it. */
function say(book: StatsBook, user: string, text: string, seconds: number): string | undefined {
  const now = at(seconds);
  return answerCommand(text, { sender: book.record(user, now), book, startedAt, now });
}

describe('the stateful bot', () => {
  it('counts every message per person, commands or not, and reports when it last saw them', () => {
    const book = new StatsBook();
    expect(say(book, 'guild:alice', '!stats', 10)).toBe(
      'You: 1 message, first time I see you. Everyone: 1 person, 1 message.',
    );
    expect(say(book, 'c2c:judy', 'just chatting', 20)).toBeUndefined();
    expect(say(book, 'guild:alice', 'hello', 40)).toBeUndefined();
    expect(say(book, 'guild:alice', '!stats', 165)).toBe(
      'You: 3 messages, last seen 2 min 5 s ago. Everyone: 2 people, 4 messages.',
    );
  });

  it('answers !ping, !uptime and !help, and points unknown commands to !help', () => {
    const book = new StatsBook();
    expect(say(book, 'group:erin', '!ping', 1)).toBe('Pong!');
    expect(say(book, 'group:erin', '!UPTIME please', 3_725)).toBe('Up for 1 h 2 min.');
    expect(say(book, 'group:erin', '!help', 5)?.split('\n')).toEqual([
      'Commands:',
      expect.stringMatching(/^!ping\s+\S/),
      expect.stringMatching(/^!uptime\s+\S/),
      expect.stringMatching(/^!stats\s+\S/),
      expect.stringMatching(/^!help\s+\S/),
    ]);
    expect(say(book, 'group:erin', '!dance', 6)).toBe('I do not know !dance. Try !help.');
  });

  it('shows durations in their two largest units', () => {
    expect(formatDuration(-5)).toBe('0 ms');
    expect(formatDuration(250)).toBe('250 ms');
    expect(formatDuration(59_999)).toBe('59 s');
    expect(formatDuration(3_600_000)).toBe('1 h');
    expect(formatDuration(3_601_000)).toBe('1 h');
    expect(formatDuration(90_061_000)).toBe('1 d 1 h');
  });
});
