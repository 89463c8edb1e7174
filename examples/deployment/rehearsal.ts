/**
 * deployment/rehearsal: a deploy of `bot.ts` played against the embedded emulator and a throwaway
 * Redis (or the one at REDIS_URL). It starts the process, waits for `/readyz`, has it answer, stops
 * it with SIGTERM as a container runtime does, starts its replacement, and checks that the
 * replacement resumed every session instead of identifying, and answers too.
 *
 *   node --import tsx examples/deployment/rehearsal.ts
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Emulator, GatewayFrameRecord } from '@bot/testing';
import { Conversation, groupScene, guildScene, runMain } from '../support/index.js';
import { startDeploymentStage } from './stage.js';

const SHARDS = 2;
/** Past this, a process that has not exited after SIGTERM is killed and the rehearsal fails. */
const STOP_TIMEOUT_MS = 15_000;
const READY_TIMEOUT_MS = 30_000;

runMain(async () => {
  const stage = await startDeploymentStage(SHARDS);
  const { env } = stage;
  const emulator = stage.platform.emulator;
  let bot: BotProcess | undefined;
  try {
    if (!emulator) throw new Error('the rehearsal runs against the embedded emulator: unset QQ_BOT_APP_ID');
    const chat = new Conversation(emulator);
    const farGuild = guildScene(emulator, { guildId: emulator.world.guildOnShard(1, SHARDS).id });

    bot = new BotProcess(env);
    const healthUrl = await bot.ready;
    console.log(`/readyz answers ${await statusOf(`${healthUrl}/readyz`)}`);
    await chat.say(farGuild, '!ping');
    await chat.say(groupScene(emulator), '!ping');

    const mark = emulator.recorder.mark();
    const started = performance.now();
    const code = await bot.stop();
    console.log(`SIGTERM: exited with code ${code} after ${Math.round(performance.now() - started)} ms`);
    if (code !== 0) throw new Error(`the bot exited with code ${code} on SIGTERM`);

    bot = new BotProcess(env);
    await bot.ready;
    const [resumed, identified] = [frames(emulator, mark, 6), frames(emulator, mark, 2)];
    console.log(`replacement: resumed ${resumed} sessions, identified ${identified} times`);
    if (resumed !== SHARDS || identified !== 0)
      throw new Error('the replacement did not resume every session');
    await chat.say(farGuild, '!ping');
  } finally {
    const code = await bot?.stop();
    if (bot) console.log(`replacement exited with code ${code}`);
    await stage.stop();
  }
});

/** Gateway frames with opcode `op` the bot sent since `mark` (6 Resume, 2 Identify). */
function frames(emulator: Emulator, mark: number, op: number): number {
  return emulator.recorder.filter(
    (record): record is GatewayFrameRecord =>
      record.kind === 'gateway' && record.op === op && record.index >= mark,
  ).length;
}

async function statusOf(url: string): Promise<number> {
  return (await fetch(url)).status;
}

/** `bot.ts` in a process of its own, as a container runs it. */
class BotProcess {
  /** Resolves with the health server's URL once every shard is ready. */
  public readonly ready: Promise<string>;
  readonly #child: ChildProcess;
  readonly #exited: Promise<number | null>;

  public constructor(env: Record<string, string>) {
    const script = fileURLToPath(new URL('./bot.ts', import.meta.url));
    this.#child = spawn(process.execPath, ['--import', 'tsx', script], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#exited = once(this.#child, 'exit').then(([code]) => code as number | null);
    this.ready = new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`not ready within ${READY_TIMEOUT_MS} ms`)),
        READY_TIMEOUT_MS,
      );
      this.#child.on('message', (message: { type?: string; healthUrl?: string }) => {
        if (message.type !== 'ready' || message.healthUrl === undefined) return;
        clearTimeout(timer);
        resolve(message.healthUrl);
      });
      void this.#exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`the bot exited with code ${code} before it was ready`));
      });
    });
    this.ready.catch(() => undefined);
  }

  /** SIGTERM, then SIGKILL if it has not exited within {@link STOP_TIMEOUT_MS}; resolves with its exit code. */
  public async stop(): Promise<number | null> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      this.#child.kill('SIGTERM');
      const timer = setTimeout(() => this.#child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await this.#exited;
      clearTimeout(timer);
    }
    return this.#exited;
  }
}
