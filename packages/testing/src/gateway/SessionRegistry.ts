import { emulatorNow } from '../util/emulatorClock.js';
import type { IdFactory } from '../util/ids.js';
import { GatewaySession } from './GatewaySession.js';

/**
 * The live gateway sessions. A session without a connection stays resumable for
 * `resumeWindowMs` on the steady clock (a wall clock stepped forward ends no window early), then
 * is forgotten (a later Resume gets op 9).
 */
export class SessionRegistry {
  readonly #sessions = new Map<string, GatewaySession>();

  /**
   * @param ids id source for session ids
   * @param bufferSize dispatches each session keeps for replay
   * @param resumeWindowMs how long a disconnected session stays resumable
   */
  constructor(
    readonly ids: IdFactory,
    readonly bufferSize: number,
    readonly resumeWindowMs: number,
  ) {}

  /** Starts a new session. */
  create(shard: [number, number], intents: number): GatewaySession {
    const session = new GatewaySession(this.ids.sessionId(), shard, intents, this.bufferSize);
    this.#sessions.set(session.id, session);
    return session;
  }

  /** A resumable session by id. */
  get(id: string, now: number = emulatorNow()): GatewaySession | undefined {
    this.#expire(now);
    return this.#sessions.get(id);
  }

  /** Forgets a session: it can no longer be resumed. */
  invalidate(session: GatewaySession): void {
    this.#sessions.delete(session.id);
  }

  /** Every live session (connected or waiting for a resume). */
  all(now: number = emulatorNow()): GatewaySession[] {
    this.#expire(now);
    return [...this.#sessions.values()];
  }

  #expire(now: number): void {
    for (const session of this.#sessions.values()) {
      if (session.disconnectedAt !== null && now - session.disconnectedAt > this.resumeWindowMs) {
        this.#sessions.delete(session.id);
      }
    }
  }
}
