import { Opcode, type GatewayPayload } from '@bot/core';
import { emulatorNow } from '../util/emulatorClock.js';

/** Where a session's frames go while it has a live connection. */
export interface SessionOutlet {
  /** Sends a dispatch on the socket. */
  deliver(payload: GatewayPayload): void;
  /** The session moved to another connection: forget it and close with `code`. */
  release(code: number, reason: string): void;
}

/**
 * One gateway session: what Identify created and Resume continues. It numbers dispatches,
 * keeps the last ones for replay, and outlives the sockets that carry it.
 */
export class GatewaySession {
  #seq = 0;
  #buffer: GatewayPayload[] = [];
  /** Highest seq dropped from the buffer; a resume from below it cannot be replayed. */
  #droppedUpTo = 0;
  #outlet: SessionOutlet | null = null;
  #acknowledged = 0;
  /** Since when the session has no connection, on the steady clock (ms); null while connected. */
  disconnectedAt: number | null = null;

  /**
   * @param id session id reported in READY
   * @param shard `[shard_id, shard_count]` from Identify
   * @param intents intents from Identify
   * @param bufferSize dispatches kept for replay
   */
  constructor(
    readonly id: string,
    readonly shard: [number, number],
    readonly intents: number,
    readonly bufferSize: number,
  ) {}

  /** The last sequence number handed out. */
  get seq(): number {
    return this.#seq;
  }

  /** The highest seq a heartbeat of this session reported: what the client acknowledged. */
  get acknowledged(): number {
    return this.#acknowledged;
  }

  /** A heartbeat reported `seq`. */
  acknowledge(seq: number): void {
    if (seq > this.#acknowledged) this.#acknowledged = seq;
  }

  /** Whether a connection currently carries this session. */
  get connected(): boolean {
    return this.#outlet !== null;
  }

  /** Takes the next sequence number (READY and RESUMED use one too). */
  nextSeq(): number {
    return ++this.#seq;
  }

  /** The connection carrying the session, or null while disconnected. */
  get outlet(): SessionOutlet | null {
    return this.#outlet;
  }

  /** Routes the session's dispatches to a connection. */
  attach(outlet: SessionOutlet): void {
    this.#outlet = outlet;
    this.disconnectedAt = null;
  }

  /** Stops sending; later dispatches are only buffered. No-op unless `outlet` is the attached one. */
  detach(outlet: SessionOutlet, now: number = emulatorNow()): void {
    if (this.#outlet !== outlet) return;
    this.#outlet = null;
    this.disconnectedAt = now;
  }

  /** Numbers an event, buffers it and sends it when connected. */
  dispatch(event: { id: string; t: string; d: unknown }): GatewayPayload {
    const payload: GatewayPayload = {
      op: Opcode.Dispatch,
      id: event.id,
      d: event.d,
      s: this.nextSeq(),
      t: event.t,
    };
    this.#buffer.push(payload);
    if (this.#buffer.length > this.bufferSize) {
      const dropped = this.#buffer.splice(0, this.#buffer.length - this.bufferSize);
      this.#droppedUpTo = dropped.at(-1)?.s ?? this.#droppedUpTo;
    }
    this.#outlet?.deliver(payload);
    return payload;
  }

  /**
   * The buffered dispatches after `seq`, or undefined when `seq` cannot be resumed from
   * (ahead of the session, or older than the buffer reaches back).
   */
  replayAfter(seq: number): GatewayPayload[] | undefined {
    if (seq > this.#seq || seq < this.#droppedUpTo) return undefined;
    return this.#buffer.filter((payload) => (payload.s ?? 0) > seq);
  }
}
