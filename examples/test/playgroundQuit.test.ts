import { setImmediate as turn } from 'node:timers/promises';
import { PassThrough } from 'node:stream';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { Client, type ClientBuilder, type EventHandler } from '@bot/client';
import type { Emulator } from '@bot/testing';
import { QUIT_GRACE_MS, runInteractive } from '../playground/interactive.js';
import { Playground } from '../playground/Playground.js';
import { STATS_BOT_INTENTS, withStatsBot } from '../stateful/StatsBot.js';
import { Platform, REPLY_TIMEOUT_MS, runClient } from '../support/index.js';

/** A console that stays open until `/quit` is typed, collecting what it prints. */
function openConsole(): { input: PassThrough; output: PassThrough; printed: () => string } {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.setEncoding('utf8').on('data', (chunk: string) => (printed += chunk));
  return { input, output, printed: () => printed };
}

/**
 * Moves the fake clock in small steps, letting the sockets between the console, the emulator and
 * the bot work between them, until `done()` holds; fails after `limitMs` of fake time.
 *
 * @returns the fake milliseconds it took
 */
async function advanceUntil(done: () => boolean, limitMs: number): Promise<number> {
  let elapsed = 0;
  for (; !done(); elapsed += 50) {
    if (elapsed > limitMs) throw new Error(`not done within ${limitMs} ms of fake time`);
    await vi.advanceTimersByTimeAsync(50);
    for (let i = 0; i < 5; i++) await turn();
  }
  return elapsed;
}

/**
 * A bot streaming its answer to a one-to-one message: `Thinking` at once, the rest only once
 * `finish()` is called.
 */
function gatedStreamBot(): { addTo: (builder: ClientBuilder) => ClientBuilder; finish: () => void } {
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  async function* answer(): AsyncGenerator<string> {
    yield 'Thinking';
    await finished;
    yield ' it over: done.';
  }
  const handler: EventHandler = {
    async c2cMessageCreate(_ctx, message) {
      await message.replyStreamFrom(answer());
    },
  };
  return { addTo: (builder) => builder.eventHandler(handler), finish };
}

/**
 * Runs a bot (the stats bot by default) on an embedded emulator and, once it is ready, the
 * interactive console on the fake clock (the bot's sockets stay real): `play` types and advances
 * the clock.
 */
async function withConsole(
  play: (console: ReturnType<typeof openConsole>, run: Promise<void>) => Promise<void>,
  addBot: (builder: ClientBuilder) => ClientBuilder = withStatsBot,
): Promise<void> {
  const platform = await Platform.embedded({ grantedIntents: STATS_BOT_INTENTS.bits });
  const client = await addBot(platform.configure(Client.builder(platform.token, STATS_BOT_INTENTS)));
  await runClient(platform, client, {
    start: () => client.start(),
    script: async (emulator: Emulator) => {
      // Date too: a stream spaces its frames by the clock's time.
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
      try {
        const console = openConsole();
        const run = runInteractive(new Playground(emulator), emulator, { ...console, terminal: false });
        await play(console, run);
      } finally {
        vi.useRealTimers();
      }
    },
  });
}

const count = (text: string, part: string): number => text.split(part).length - 1;

describe('the interactive console on /quit', () => {
  it('leaves without waiting out the grace period once every message has been answered', async () => {
    await withConsole(async (console, run) => {
      let finished = false;
      void run.then(() => (finished = true));
      console.input.write('!ping\n/group\n!ping\n');
      await advanceUntil(() => count(console.printed(), 'bot › Pong!') === 2, REPLY_TIMEOUT_MS);

      console.input.write('/quit\n');
      // Only the last replies' short settling is left: far less than the grace after a quit.
      await advanceUntil(() => finished, QUIT_GRACE_MS / 2);
      await run;
      expect(console.printed()).not.toContain('waiting up to');
      expect(console.printed().endsWith('bye\n')).toBe(true);
    });
  });

  it('names only the messages still unanswered, and leaves once the grace period is over', async () => {
    await withConsole(async (console, run) => {
      let finished = false;
      void run.then(() => (finished = true));
      // The bot answers !ping; it only counts a line that is no command.
      console.input.write('!ping\njust saying hello\n');
      await advanceUntil(() => console.printed().includes('bot › Pong!'), REPLY_TIMEOUT_MS);

      console.input.write('/quit\n');
      const waited = await advanceUntil(() => finished, QUIT_GRACE_MS + 500);
      await run;
      expect(console.printed()).toContain(
        `(waiting up to ${QUIT_GRACE_MS / 1000} s for the bot to answer 1 message; Ctrl-C leaves at once)`,
      );
      expect(waited).toBeGreaterThanOrEqual(QUIT_GRACE_MS);
      expect(console.printed().endsWith('bye\n')).toBe(true);
    });
  });

  it('says it lets a stream still being sent finish, and leaves once its last frame is in', async () => {
    const bot = gatedStreamBot();
    await withConsole(async (console, run) => {
      // Ends the stream on a failure too, so the bot's shutdown does not wait for it.
      onTestFinished(() => bot.finish());
      let finished = false;
      void run.then(() => (finished = true));
      console.input.write('/c2c\n!stream\n');
      await advanceUntil(
        () => console.printed().includes('bot › Thinking   (stream frame 1)'),
        REPLY_TIMEOUT_MS,
      );

      console.input.write('/quit\n');
      await advanceUntil(() => console.printed().includes('(letting the bot finish'), 1_000);
      expect(console.printed()).toContain(
        `(letting the bot finish its stream, up to ${QUIT_GRACE_MS / 1000} s; Ctrl-C leaves at once)`,
      );
      bot.finish();
      const waited = await advanceUntil(() => finished, QUIT_GRACE_MS);
      await run;
      const printed = console.printed();
      expect(printed).toMatch(/bot › Thinking it over: done\. {3}\(stream frame 2, done\)\nbye\n$/);
      expect(printed).not.toContain('waiting up to'); // the stream answered: no message is owed
      // It left with the stream's last frame, sent at most a frame interval later: not after the grace.
      expect(waited).toBeLessThan(QUIT_GRACE_MS);
    }, bot.addTo);
  });
});
