import { EmulatorError, type Emulator } from '@bot/testing';
import { c2cScene, groupScene, guildScene, type Scene } from '../support/index.js';
import { channelArgument, parseCommandLine } from './commandLine.js';

/** What a typed line asks for. */
export type LineOutcome =
  /** Send `text` as the scene's user. */
  | { kind: 'message'; scene: Scene; text: string }
  /** Press a button of the scene's newest keyboard: its number or the start of its label. */
  | { kind: 'press'; scene: Scene; choice: string }
  /** Show `text` to the person at the console (help, a scene change, a mistake). */
  | { kind: 'notice'; text: string }
  /** Leave. */
  | { kind: 'quit' }
  /** Nothing (an empty line). */
  | { kind: 'none' };

interface ConsoleCommand {
  name: string;
  usage: string;
  summary: string;
  run(argument: string): LineOutcome;
}

/**
 * The playground's state and command language, free of any I/O: the current scene, the
 * `/commands` that switch it, and every other line turned into a message for the bot. The
 * interactive console and the scripted run both drive it.
 */
export class Playground {
  #scene: Scene;
  readonly #commands: ConsoleCommand[];

  /** @param emulator - the emulator whose users the person at the console plays */
  public constructor(emulator: Emulator) {
    this.#scene = guildScene(emulator);
    this.#commands = [
      {
        name: '/guild',
        usage: '/guild [channel]',
        summary: 'talk in a guild channel, @-mentioning the bot (#general by default)',
        run: (argument) => this.#switchTo(() => guildScene(emulator, { channel: channelArgument(argument) })),
      },
      {
        name: '/group',
        usage: '/group [name]',
        summary: 'talk in a group (Book Club by default; Hiking Friends too)',
        run: (argument) => this.#switchTo(() => groupScene(emulator, argument || undefined)),
      },
      {
        name: '/c2c',
        usage: '/c2c [name]',
        summary: 'talk to the bot one-to-one (as Judy by default; Mallory too)',
        run: (argument) => this.#switchTo(() => c2cScene(emulator, argument || undefined)),
      },
      {
        name: '/press',
        usage: '/press <n|label>',
        summary: "press a button of the bot's last keyboard here (after !buttons)",
        run: (argument) =>
          argument === ''
            ? { kind: 'notice', text: 'which button? /press 1, or /press pear' }
            : { kind: 'press', scene: this.#scene, choice: argument },
      },
      {
        name: '/help',
        usage: '/help',
        summary: 'this list',
        run: () => ({ kind: 'notice', text: this.help() }),
      },
      {
        name: '/quit',
        usage: '/quit',
        summary: 'leave (Ctrl-D and Ctrl-C too)',
        run: () => ({ kind: 'quit' }),
      },
    ];
  }

  /** The current scene. */
  public get scene(): Scene {
    return this.#scene;
  }

  /** The prompt: the current scene, `group Book Club › `. */
  public get prompt(): string {
    return `${this.#scene.label} › `;
  }

  /** The console commands, what the bot understands, and where the person is. */
  public help(): string {
    const width = Math.max(...this.#commands.map((command) => command.usage.length));
    return [
      "Type a message to send it as the scene's user; the bot answers !ping, !uptime, !stats and !help,",
      '!stream (a streamed answer) and !buttons (a keyboard: /press a button and the bot answers).',
      ...this.#commands.map((command) => `  ${command.usage.padEnd(width)}  ${command.summary}`),
      this.#whereabouts(),
    ].join('\n');
  }

  /**
   * Interprets one typed line.
   *
   * @param line - what was typed
   */
  public read(line: string): LineOutcome {
    const text = line.trim();
    if (text === '') return { kind: 'none' };
    const typed = parseCommandLine(text);
    if (!typed) return { kind: 'message', scene: this.#scene, text };
    const command = this.#commands.find((candidate) => candidate.name === typed.name);
    if (!command) return { kind: 'notice', text: `unknown command ${typed.name}; /help lists them` };
    return command.run(typed.argument);
  }

  #switchTo(scene: () => Scene): LineOutcome {
    try {
      this.#scene = scene();
    } catch (error) {
      // An unknown channel, group or user: say so and stay where we are.
      if (error instanceof EmulatorError) return { kind: 'notice', text: error.message };
      throw error;
    }
    return { kind: 'notice', text: this.#whereabouts() };
  }

  #whereabouts(): string {
    return `You are in ${this.#scene.label}, speaking as ${this.#scene.speaker}.`;
  }
}
