import { describe, expect, it } from 'vitest';
import { Emulator } from '@bot/testing';
import { INTEGER_FLAGS, parseCommand, UsageError } from '../src/cli/command.js';

/** Each ranged flag with the option it sets, to hold its range against what the emulator accepts. */
const FLAGS = [
  { flag: 'port', option: (n: number) => ({ port: n }), range: 'an integer from 0 to 65,535' },
  { flag: 'shards', option: (n: number) => ({ shards: n }), range: 'an integer from 1 to 10,000' },
  {
    flag: 'max-concurrency',
    option: (n: number) => ({ sessionStartLimit: { maxConcurrency: n } }),
    range: 'a positive integer',
  },
  {
    flag: 'identify-window',
    option: (n: number) => ({ identifyWindow: n }),
    range: 'a non-negative integer',
  },
  {
    flag: 'sessions',
    option: (n: number) => ({ sessionStartLimit: { remaining: n } }),
    range: 'a non-negative integer',
  },
  {
    flag: 'heartbeat-interval',
    option: (n: number) => ({ heartbeatInterval: n }),
    range: 'a positive integer',
  },
  {
    flag: 'token-lifetime',
    option: (n: number) => ({ tokenLifetime: n }),
    range: 'an integer of at least 61',
  },
  { flag: 'resume-window', option: (n: number) => ({ resumeWindow: n }), range: 'a non-negative integer' },
  { flag: 'intents', option: (n: number) => ({ grantedIntents: n }), range: 'a non-negative integer' },
] as const;

function refusal(argv: string[]): string {
  try {
    parseCommand(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).message;
  }
  throw new Error(`${argv.join(' ')} was accepted`);
}

describe('qq-emulator flags', () => {
  it('covers every ranged flag in this table', () => {
    expect(FLAGS.map((f) => f.flag).sort()).toEqual(Object.keys(INTEGER_FLAGS).sort());
  });

  for (const { flag, option, range } of FLAGS) {
    const { min, max } = INTEGER_FLAGS[flag] as { min: number; max?: number };

    it(`--${flag} takes ${range}, the same values the emulator takes`, async () => {
      for (const n of max === undefined ? [min] : [min, max]) {
        expect(parseCommand([`--${flag}`, String(n)])).not.toBe('help');
      }
      const outside = [...(min > 0 ? [min - 1] : []), ...(max === undefined ? [] : [max + 1])];
      for (const n of outside) {
        expect(refusal([`--${flag}`, String(n)])).toBe(`--${flag} must be ${range}, got "${n}"`);
        // Not stricter than the emulator: the programmatic start refuses the same value.
        await expect(Emulator.start(option(n))).rejects.toThrow('invalid option');
      }
    });
  }

  it('refuses empty credentials, a callback URL the pusher cannot use, and names the flag', () => {
    expect(refusal(['--app-id', ''])).toBe('--app-id must not be empty');
    expect(refusal(['--secret', ''])).toBe('--secret must not be empty');
    expect(refusal(['--webhook', 'localhost:3000/hook'])).toBe(
      '--webhook must be an http or https URL, got "localhost:3000/hook"',
    );
    expect(refusal(['--intents', 'most'])).toBe(
      '--intents must be "all" or a non-negative integer, got "most"',
    );
  });

  it('refuses unknown flags and missing values as usage errors', () => {
    expect(refusal(['--shard', '2'])).toContain("'--shard'");
    expect(refusal(['--shards'])).toContain('--shards');
  });

  it('passes what it takes on as options', () => {
    expect(
      parseCommand([
        '--shards',
        '10000',
        '--sessions',
        '0',
        '--max-concurrency',
        '16',
        '--intents',
        'all',
        '--webhook',
        'http://127.0.0.1:3000/hook',
        '--log-level',
        'warn',
      ]),
    ).toEqual({
      options: {
        shards: 10_000,
        sessionStartLimit: { maxConcurrency: 16, remaining: 0 },
        grantedIntents: 'all',
        webhook: { url: 'http://127.0.0.1:3000/hook' },
      },
      logLevel: 'warn',
    });
  });
});
