import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** How long a process may take to stop after SIGTERM before it is killed. */
const STOP_TIMEOUT_MS = 15_000;

/** What a process of the distributed example tells the script that started it. */
export interface ReadyMessage {
  type: 'ready';
}

/** Tells the starting script (if one listens on the IPC channel) that this process is up. */
export function announceReady(): void {
  if (process.connected) process.send?.({ type: 'ready' } satisfies ReadyMessage);
}

/**
 * Resolves when the script that started this process goes away without stopping it (it crashed):
 * a process with an IPC channel to its parent should then stop as if signalled. Never resolves in
 * a process started by hand.
 *
 * @param signal - stops watching: the listener would otherwise keep the IPC channel, and so the
 *   process, alive after its work is done
 */
export function untilOrphaned(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected || signal.aborted) return;
    const onDisconnect = (): void => resolve();
    process.once('disconnect', onDisconnect);
    signal.addEventListener('abort', () => process.off('disconnect', onDisconnect), { once: true });
  });
}

/**
 * A process of the distributed example (`node --import tsx distributed/<script>`) started by
 * `index.ts`: when it is up, and how it exited.
 */
export class ExampleProcess {
  /** `gateway`, `worker`: how the process is named in the output. */
  public readonly name: string;
  /** Resolves once the process says it is ready; rejects if it exits first. */
  public readonly ready: Promise<void>;
  /** Resolves with the exit code (`null` when a signal ended it) once the process has exited. */
  public readonly exited: Promise<number | null>;
  readonly #child: ChildProcess;

  /**
   * Starts the process.
   *
   * @param name - how it is named in the output
   * @param script - file name in `examples/distributed/`
   * @param env - what it needs on top of this process's environment (platform, Redis)
   */
  public constructor(name: string, script: string, env: Record<string, string>) {
    this.name = name;
    const path = fileURLToPath(new URL(`./${script}`, import.meta.url));
    // Its own process group: a Ctrl-C in the terminal reaches the starting script only, which
    // then stops the processes in order instead of all of them racing to shut down.
    this.#child = spawn(process.execPath, ['--import', 'tsx', path], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      detached: true,
    });
    this.exited = once(this.#child, 'exit').then(([code]) => code as number | null);
    this.ready = new Promise((resolve, reject) => {
      this.#child.on('message', (message: Partial<ReadyMessage>) => {
        if (message.type === 'ready') resolve();
      });
      this.exited.then(
        (code) => reject(new Error(`the ${name} process exited with code ${code} before it was ready`)),
        reject,
      );
    });
    this.ready.catch(() => undefined); // whoever awaits `ready` sees the failure
  }

  /** The process id. */
  public get pid(): number | undefined {
    return this.#child.pid;
  }

  /**
   * Stops the process with SIGTERM (it shuts down cleanly), killing it if it takes too long.
   *
   * @returns its exit code
   */
  public async stop(): Promise<number | null> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      this.#child.kill('SIGTERM');
      const timer = setTimeout(() => this.#child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await this.exited;
      clearTimeout(timer);
    }
    return this.exited;
  }
}
