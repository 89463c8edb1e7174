import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Client } from '@bot/client';
import { Emulator } from '@bot/testing';
import { QUIT_GRACE_MS, runInteractive, type ConsoleStreams } from '../playground/interactive.js';
import { Playground } from '../playground/Playground.js';
import { runScripted } from '../playground/scripted.js';
import { STATS_BOT_INTENTS, withStatsBot } from '../stateful/StatsBot.js';
import { NoReplyError, Platform, REPLY_TIMEOUT_MS, runClient } from '../support/index.js';
import { runNamedExample } from './runExample.js';

/**
 * A console fed `typed` (then end of input, unless `terminal`: a terminal stays open until a
 * key ends it), whose printed text is collected.
 */
function fakeConsole(
  typed: string,
  terminal = false,
): ConsoleStreams & {
  input: PassThrough;
  printed: () => string;
  untilPrinted(text: string): Promise<void>;
} {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.setEncoding('utf8').on('data', (chunk: string) => (printed += chunk));
  if (terminal) input.write(typed);
  else input.end(typed);
  return {
    input,
    output,
    terminal,
    printed: () => printed,
    untilPrinted: (text) =>
      new Promise((resolve) => {
        const check = (): void => {
          if (!printed.includes(text)) return;
          output.off('data', check);
          resolve();
        };
        output.on('data', check);
        check();
      }),
  };
}

describe('the playground without a terminal', () => {
  it('plays its script through all three scenes and every command, then exits 0', async () => {
    const run = await runNamedExample('playground');
    expect(run.code, `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`).toBe(0);
    const transcript = run.stdout;
    expect(transcript).toContain('guild #general › !help');
    expect(transcript).toMatch(/\[guild #general\] bot › Commands:\n(\s+!\w+ .*\n){4}/);
    expect(transcript).toContain('[guild #general] bot › Pong!');
    expect(transcript).toContain('group Book Club › !uptime');
    expect(transcript).toMatch(/\[group Book Club\] bot › Up for \d+ (ms|s)\./);
    expect(transcript).toMatch(/\[group Book Club\] bot › You: 2 messages, last seen/);
    expect(transcript).toContain('[c2c Judy] bot › You: 1 message, first time I see you.');
    expect(transcript).toContain('[c2c Judy] bot › I do not know !dance. Try !help.');
    expect(transcript).toMatch(
      /\[guild #general\] bot › You: 3 messages, last seen .* Everyone: 3 people, 7 messages\./,
    );
  }, 60_000);
});

describe('the interactive console', () => {
  it('on /quit, still prints the replies to messages already sent, then leaves', async () => {
    const platform = await Platform.embedded({ grantedIntents: STATS_BOT_INTENTS.bits });
    const client = await withStatsBot(platform.configure(Client.builder(platform.token, STATS_BOT_INTENTS)));
    // Pasted at once: the quit arrives before the bot could possibly have answered.
    const terminal = fakeConsole('!ping\n/c2c\n!stats\n/quit\n!uptime\n');
    await runClient(platform, client, {
      start: () => client.start(),
      script: (emulator) => runInteractive(new Playground(emulator), emulator, terminal),
    });
    const printed = terminal.printed();
    expect(printed).toContain('[guild #general] bot › Pong!');
    expect(printed).toContain('[c2c Judy] bot › You: 1 message, first time I see you.');
    // Nothing typed after /quit is sent.
    expect(printed).not.toContain('Up for');
    expect(printed.endsWith('bye\n')).toBe(true);
  });
});

/** What a terminal shows of `printed`: cursor moves and line clears applied, in the simplest form. */
function screen(printed: string): string {
  // Each "go to column 1, clear" redraw starts the line again; other escapes only move the cursor.
  return printed
    .replace(/\r?\n/g, '\n')
    .split('\n')
    .map((line) => line.split(/\u001b\[1G\u001b\[0J|\u001b\[2K\u001b\[1G/).at(-1) ?? '')
    .map((line) => line.replace(/\u001b\[\d*[A-Za-z]/g, '').replace(/\r/g, ''))
    .join('\n');
}

describe('the interactive console on a terminal', () => {
  let emulator: Emulator;
  beforeEach(async () => {
    emulator = await Emulator.start();
  });
  afterEach(async () => {
    await emulator.stop();
  });

  it('on Ctrl-C, ends the half-typed line and says bye on a line of its own', async () => {
    const terminal = fakeConsole('!pi', true);
    const run = runInteractive(new Playground(emulator), emulator, terminal);
    await terminal.untilPrinted('!pi');
    terminal.input.write('\u0003');
    await run;
    expect(screen(terminal.printed()).endsWith('guild #general › !pi\nbye\n')).toBe(true);
  });

  it('on Ctrl-D at an empty prompt, says bye on a line of its own', async () => {
    const terminal = fakeConsole('', true);
    const run = runInteractive(new Playground(emulator), emulator, terminal);
    await terminal.untilPrinted('› ');
    terminal.input.write('\u0004');
    await run;
    expect(screen(terminal.printed()).endsWith('guild #general › \nbye\n')).toBe(true);
  });
});

describe('Playground', () => {
  let emulator: Emulator;
  beforeEach(async () => {
    emulator = await Emulator.start();
  });
  afterEach(async () => {
    vi.useRealTimers();
    await emulator.stop();
  });

  it('starts in the guild and switches scene with /guild, /group and /c2c, names matched by prefix', () => {
    const playground = new Playground(emulator);
    expect(playground.prompt).toBe('guild #general › ');
    expect(playground.read('/group hik')).toEqual({
      kind: 'notice',
      text: 'You are in group Hiking Friends, speaking as Heidi.',
    });
    expect(playground.read('/C2C mallory')).toMatchObject({ kind: 'notice' });
    expect(playground.prompt).toBe('c2c Mallory › ');
    playground.read('/guild ann');
    expect(playground.prompt).toBe('guild #announcements › ');
  });

  it('takes channels as the prompt shows them: /guild #general', () => {
    const playground = new Playground(emulator);
    playground.read('/guild announcements');
    expect(playground.read('/guild #general')).toEqual({
      kind: 'notice',
      text: 'You are in guild #general, speaking as Alice.',
    });
    playground.read('/guild   #Ann');
    expect(playground.prompt).toBe('guild #announcements › ');
    playground.read('/guild #');
    expect(playground.prompt).toBe('guild #general › ');
  });

  it('sends any other line as a message of the current scene, and ignores empty lines', () => {
    const playground = new Playground(emulator);
    playground.read('/c2c');
    const outcome = playground.read('  hello there ');
    expect(outcome).toMatchObject({ kind: 'message', text: 'hello there', scene: { label: 'c2c Judy' } });
    expect(playground.read('   ')).toEqual({ kind: 'none' });
  });

  it('stays in its scene when asked for one that does not exist, and says why', () => {
    const playground = new Playground(emulator);
    expect(playground.read('/group chess')).toEqual({
      kind: 'notice',
      text: 'the bot is in no group named "chess"',
    });
    expect(playground.read('/teleport')).toEqual({
      kind: 'notice',
      text: 'unknown command /teleport; /help lists them',
    });
    expect(playground.prompt).toBe('guild #general › ');
  });

  it('lists its commands on /help and leaves on /quit', () => {
    const playground = new Playground(emulator);
    const help = playground.read('/help');
    expect(help.kind).toBe('notice');
    for (const command of ['/guild', '/group', '/c2c', '/help', '/quit']) {
      expect(help.kind === 'notice' && help.text).toContain(command);
    }
    expect(playground.read('/quit')).toEqual({ kind: 'quit' });
  });

  it('on /quit, gives up on a reply that is not coming after a short grace period', async () => {
    // No bot is connected to this emulator, so nothing will ever answer.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const terminal = fakeConsole('!ping\n/quit\n');
    const run = runInteractive(new Playground(emulator), emulator, terminal);
    await terminal.untilPrinted('waiting up to');
    // Less than a reply's own timeout: the quit is what ends the wait.
    expect(QUIT_GRACE_MS).toBeLessThan(REPLY_TIMEOUT_MS);
    await vi.advanceTimersByTimeAsync(QUIT_GRACE_MS);
    await run;
    expect(terminal.printed()).toContain('(no reply to !ping in guild #general before leaving)\nbye\n');
  });

  it('fails the scripted run with NoReplyError when the bot does not answer', async () => {
    // No bot is connected to this emulator, so nothing will ever answer.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const printed: string[] = [];
    const run = runScripted(new Playground(emulator), emulator, ['!ping', '!stats'], (line) =>
      printed.push(line),
    );
    const failed = expect(run).rejects.toThrow(NoReplyError);
    await vi.advanceTimersByTimeAsync(REPLY_TIMEOUT_MS);
    await failed;
    // The run stops at the unanswered message.
    expect(printed.at(-1)).toBe('guild #general › !ping');
  });
});
