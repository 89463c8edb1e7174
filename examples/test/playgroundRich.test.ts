import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '@bot/client';
import { Emulator } from '@bot/testing';
import { ButtonBoard, MAX_REMEMBERED_MESSAGES } from '../playground/buttons.js';
import { runInteractive } from '../playground/interactive.js';
import { Playground } from '../playground/Playground.js';
import { PLAYGROUND_BOT_INTENTS, withPlaygroundBot } from '../playground/PlaygroundBot.js';
import { runScripted } from '../playground/scripted.js';
import { Platform, groupScene, runClient } from '../support/index.js';

/** Runs `play` against the playground bot on an embedded emulator, with the model's words 10 ms apart. */
async function withPlayground(play: (emulator: Emulator) => Promise<void>): Promise<void> {
  const platform = await Platform.embedded({ grantedIntents: PLAYGROUND_BOT_INTENTS.bits });
  const client = await withPlaygroundBot(
    platform.configure(Client.builder(platform.token, PLAYGROUND_BOT_INTENTS)),
    10,
  );
  await runClient(platform, client, { start: () => client.start(), script: play });
}

describe('the playground: !stream and !buttons', () => {
  it('scripted: shows a keyboard, presses a button by label and prints the acknowledgement and the answer', async () => {
    const printed: string[] = [];
    await withPlayground((emulator) =>
      runScripted(
        new Playground(emulator),
        emulator,
        ['/group', '!buttons', '/press kiwi', '/press pear', '/quit'],
        (line) => printed.push(line),
      ),
    );
    expect(printed).toEqual(
      expect.arrayContaining([
        '[group Book Club] bot › **Pick a fruit**',
        '[group Book Club] bot › [1 🍎 Apple] [2 🍐 Pear] [3 🍒 Cherry]   (/press 1-3)',
        'no button "kiwi"; [1 🍎 Apple] [2 🍐 Pear] [3 🍒 Cherry]   (/press 1-3)',
        '[group Book Club] Erin › (presses 🍐 Pear)   (the bot receives INTERACTION_CREATE)',
        '[group Book Club] bot › (acknowledged with code 0: HTTP 204)',
        '[group Book Club] bot › You picked 🍐 Pear. Good choice!',
      ]),
    );
  });

  it('scripted: prints every frame of a C2C stream, the last one done with the whole answer; in a group, one message', async () => {
    const printed: string[] = [];
    await withPlayground((emulator) =>
      runScripted(
        new Playground(emulator),
        emulator,
        ['/c2c', '!stream tides', '/group', '!stream tides'],
        (line) => printed.push(line),
      ),
    );
    const frames = printed.filter((line) => line.startsWith('[c2c Judy] bot › '));
    expect(frames.length).toBeGreaterThanOrEqual(2);
    expect(frames.at(-1)).toMatch(
      /^\[c2c Judy\] bot › Good question about "tides"\. .*whole of it\. {3}\(stream frame \d+, done\)$/,
    );
    expect(frames.slice(0, -1).every((line) => /\(stream frame \d+\)$/.test(line))).toBe(true);
    const group = printed.filter((line) => line.startsWith('[group Book Club] bot › '));
    expect(group).toEqual([
      expect.stringMatching(/^\[group Book Club\] bot › Good question about "tides"\. .*whole of it\.$/),
    ]);
  });

  it('interactive: a keyboard in the guild channel, a press of it, and a stream in C2C', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.setEncoding('utf8').on('data', (chunk: string) => (printed += chunk));
    const untilPrinted = (text: string): Promise<void> =>
      new Promise((resolve) => {
        const check = (): void => {
          if (printed.includes(text)) {
            output.off('data', check);
            resolve();
          }
        };
        output.on('data', check);
        check();
      });
    await withPlayground(async (emulator) => {
      const console = runInteractive(new Playground(emulator), emulator, { input, output, terminal: false });
      input.write('!buttons\n');
      await untilPrinted('(/press 1-3)');
      input.write('/press 3\n');
      await untilPrinted('You picked 🍒 Cherry');
      input.write('/c2c\n/press 1\n!stream\n');
      await untilPrinted(', done)');
      input.end('/quit\n');
      await console;
    });
    expect(printed).toContain('[guild #general] bot › [1 🍎 Apple] [2 🍐 Pear] [3 🍒 Cherry]   (/press 1-3)');
    expect(printed).toContain('[guild #general] Alice › (presses 🍒 Cherry)');
    expect(printed).toContain('[guild #general] bot › (acknowledged with code 0: HTTP 204)');
    expect(printed).toContain('[guild #general] bot › You picked 🍒 Cherry. Good choice!');
    // Keyboards belong to their scene: none was sent in the C2C chat yet.
    expect(printed).toContain('no buttons in c2c Judy yet; !buttons asks the bot for some');
    expect(printed).toMatch(
      /\[c2c Judy\] bot › Good question about "streams"\..*\(stream frame \d+, done\)\n/,
    );
    expect(printed.endsWith('bye\n')).toBe(true);
  });
});

describe('ButtonBoard', () => {
  let emulator: Emulator | undefined;
  afterEach(async () => {
    await emulator?.stop();
  });

  it('offers nothing to press before the bot sent a keyboard in the scene', async () => {
    emulator = await Emulator.start();
    const board = new ButtonBoard(emulator);
    const group = groupScene(emulator);
    expect(board.press(group, '1')).toBe('no buttons in group Book Club yet; !buttons asks the bot for some');
    board.close();
  });

  it('remembers the last 256 messages of a long session, the oldest going first', async () => {
    emulator = await Emulator.start();
    const board = new ButtonBoard(emulator);
    const group = groupScene(emulator);
    for (let n = 0; n < 3 * MAX_REMEMBERED_MESSAGES; n++) board.sent(group, `message-${n}`);
    expect(board.remembered).toEqual({ sent: MAX_REMEMBERED_MESSAGES, answered: 0 });
    board.close();
  });
});
