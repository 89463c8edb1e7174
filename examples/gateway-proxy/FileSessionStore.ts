import { randomUUID } from 'node:crypto';
import { open, readFile, rename } from 'node:fs/promises';
import type { SessionInfo, SessionStore } from '@bot/gateway';

/** The session file could not be read or is not what this store writes. */
export class SessionFileError extends Error {
  public override readonly name = 'SessionFileError';

  /**
   * @param path - the file
   * @param problem - what is wrong with it and what to do
   */
  public constructor(path: string, problem: string, options?: ErrorOptions) {
    super(`session file ${path}: ${problem}`, options);
  }
}

/**
 * Sessions in one JSON file, so a proxy restarted on the same host resumes its shards. Each write
 * replaces the file whole: written to a file aside (named for this store alone), flushed to disk
 * (fsync), then renamed over it, so a process crash or a power loss mid-write leaves the previous
 * version. (The rename itself reaches the disk with the directory's next flush: after a power
 * loss the file may be one write behind, which only resumes earlier.) One process per file;
 * several hosts would share a store instead (`RedisSessionStore`).
 */
export class FileSessionStore implements SessionStore {
  readonly #path: string;
  /** Where each write goes before it replaces the file: unique to this store. */
  readonly #aside: string;
  readonly #sessions: Map<number, SessionInfo>;
  #writes: Promise<void> = Promise.resolve();

  private constructor(path: string, sessions: Map<number, SessionInfo>) {
    this.#path = path;
    this.#aside = `${path}.${process.pid}.${randomUUID()}.tmp`;
    this.#sessions = sessions;
  }

  /**
   * Reads the file at `path`, or starts empty when there is none yet.
   *
   * @throws SessionFileError when the file cannot be read, or is not a JSON object (a session in
   *   it the shard cannot use is reported by the shard)
   */
  public static async open(path: string): Promise<FileSessionStore> {
    let text: string | undefined;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        const code = (error as NodeJS.ErrnoException).code ?? String(error);
        throw new SessionFileError(
          path,
          `cannot be read (${code}); check its permissions, or point the proxy at another file`,
          {
            cause: error,
          },
        );
      }
    }
    let parsed: unknown = {};
    try {
      if (text !== undefined) parsed = JSON.parse(text);
    } catch (error) {
      throw new SessionFileError(
        path,
        'is not JSON; move it away to start without stored sessions (the shards identify anew)',
        {
          cause: error,
        },
      );
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new SessionFileError(
        path,
        'does not hold a JSON object of sessions by shard id; move it away to start without stored sessions',
      );
    }
    const entries = Object.entries(parsed as Record<string, SessionInfo>);
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
      const file = await open(this.#aside, 'w');
      try {
        await file.writeFile(JSON.stringify(Object.fromEntries(this.#sessions)));
        await file.sync(); // on disk before it replaces the file
      } finally {
        await file.close();
      }
      await rename(this.#aside, this.#path);
    });
    this.#writes = next.catch(() => undefined);
    return next;
  }
}
