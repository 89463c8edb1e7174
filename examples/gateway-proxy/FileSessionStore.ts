import { readFile, rename, writeFile } from 'node:fs/promises';
import type { SessionInfo, SessionStore } from '@bot/gateway';

/**
 * Sessions in one JSON file, so a proxy restarted on the same host resumes its shards. Each write
 * replaces the file whole (written aside, then renamed over it), so a crash mid-write leaves the
 * previous version. Several hosts would share a store instead (`RedisSessionStore`).
 */
export class FileSessionStore implements SessionStore {
  readonly #path: string;
  readonly #sessions: Map<number, SessionInfo>;
  #writes: Promise<void> = Promise.resolve();

  private constructor(path: string, sessions: Map<number, SessionInfo>) {
    this.#path = path;
    this.#sessions = sessions;
  }

  /**
   * Reads the file at `path`, or starts empty when there is none yet.
   *
   * @throws SyntaxError when the file is not JSON (a session the shard cannot use is reported by it)
   */
  public static async open(path: string): Promise<FileSessionStore> {
    let text: string | undefined;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const entries = text === undefined ? [] : Object.entries(JSON.parse(text) as Record<string, SessionInfo>);
    return new FileSessionStore(path, new Map(entries.map(([id, session]) => [Number(id), session])));
  }

  /** {@inheritDoc SessionStore.get} */
  public get(shardId: number): Promise<SessionInfo | undefined> {
    const session = this.#sessions.get(shardId);
    return Promise.resolve(session && { ...session });
  }

  /** {@inheritDoc SessionStore.set} */
  public set(shardId: number, session: SessionInfo): Promise<void> {
    this.#sessions.set(shardId, { ...session });
    return this.#save();
  }

  /** {@inheritDoc SessionStore.delete} */
  public delete(shardId: number): Promise<void> {
    this.#sessions.delete(shardId);
    return this.#save();
  }

  /** Writes the file after the writes before it, with every change made until it starts. */
  #save(): Promise<void> {
    const next = this.#writes.then(async () => {
      const aside = `${this.#path}.${process.pid}.tmp`;
      await writeFile(aside, JSON.stringify(Object.fromEntries(this.#sessions)));
      await rename(aside, this.#path);
    });
    this.#writes = next.catch(() => undefined);
    return next;
  }
}
