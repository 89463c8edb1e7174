/** Session id code units a cell holds; of a longer id, the cell tells only that it was too long. */
const MAX_ID_UNITS = 120;
/** Bytes of the header: a version (odd while a session is being written) and the id's length. */
const HEADER_BYTES = 8;
/** Bytes of the cell: header, seq (a 64-bit integer, so any safe seq fits) and the id. */
const CELL_BYTES = HEADER_BYTES + 8 + MAX_ID_UNITS * 2;
/** The id's length that says no session was begun. */
const NO_ID = -1;
/** The id's length that says the session begun had an id too long to keep. */
const LONG_ID = -2;

/** How far a session is handled, as a {@link HandledSeqCell} tells. */
export interface HandledPoint {
  /** The session's id; `undefined` when it was too long to keep (over 120 characters). */
  sessionId: string | undefined;
  seq: number;
}

/**
 * How far one shard's session is handled, in memory a worker thread and the main thread share;
 * one side writes, the other reads, and neither ever waits for the other.
 *
 * - With a handler module the thread writes it as each handling finishes, and the main thread reads
 *   it once the thread has ended, to store the shard's session for the next thread. A thread stopped
 *   for a message the main thread refuses has what it posted after that dropped on purpose, its
 *   reports of what it handled among them, though its heartbeats acknowledged those events: stored
 *   from the reports alone, the session was behind the acknowledgements, and a platform strict about
 *   resumes refused the next thread's resume (4007; the events sent meanwhile were lost).
 * - Without one the main thread writes how far its listeners took the shard's dispatches, once per
 *   message of the thread, and the thread acknowledges no further: what it posted after a refused
 *   message is dropped, and the session is stored at the last dispatch taken.
 *
 * A write is one atomic store, a new session a few more (a version odd while they are made, so a
 * reader never takes half of one).
 */
export class HandledSeqCell {
  /** The memory both threads see. */
  public readonly buffer: SharedArrayBuffer;
  readonly #header: Int32Array;
  readonly #seq: BigInt64Array;
  readonly #id: Uint16Array;
  /** The session this view last began (a writer's own note: it begins only a new one). */
  #begun: string | undefined;

  /** @param buffer - the memory of a cell made on the other thread, or none for a new cell */
  public constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(CELL_BYTES)) {
    this.buffer = buffer;
    this.#header = new Int32Array(buffer, 0, 2);
    this.#seq = new BigInt64Array(buffer, HEADER_BYTES, 1);
    this.#id = new Uint16Array(buffer, HEADER_BYTES + 8, MAX_ID_UNITS);
    // Before any session is written: none is kept.
    if (Atomics.load(this.#header, 0) === 0 && Atomics.load(this.#header, 1) === 0)
      Atomics.store(this.#header, 1, NO_ID);
  }

  /**
   * Whether `buffer` can be a cell's memory (what the main thread sent): the thread then writes to it.
   *
   * @param buffer - what a start message carried
   */
  public static fits(buffer: unknown): buffer is SharedArrayBuffer {
    return buffer instanceof SharedArrayBuffer && buffer.byteLength === CELL_BYTES;
  }

  /**
   * Session `sessionId` of the shard is handled up to `seq` (a session new to the thread, or one it
   * took over from the store).
   *
   * @param sessionId - the session's id
   * @param seq - the last seq handled
   */
  public begin(sessionId: string, seq: number): void {
    this.#begun = sessionId;
    const header = this.#header;
    // Odd while it is written: a reader that sees this takes nothing. Set, not flipped: a writer
    // stopped mid-begin (its thread ended) leaves the version odd, and flipping from there would
    // leave the next thread's every session odd, unreadable for good.
    const version = Atomics.load(header, 0) | 1;
    Atomics.store(header, 0, version);
    if (sessionId.length > MAX_ID_UNITS) {
      Atomics.store(header, 1, LONG_ID);
    } else {
      for (let unit = 0; unit < sessionId.length; unit += 1) this.#id[unit] = sessionId.charCodeAt(unit);
      Atomics.store(header, 1, sessionId.length);
    }
    Atomics.store(this.#seq, 0, BigInt(seq));
    Atomics.store(header, 0, version + 1);
  }

  /**
   * The session last begun is handled up to `seq` (the per-event path: one atomic store).
   *
   * @param seq - the last seq handled
   */
  public advance(seq: number): void {
    Atomics.store(this.#seq, 0, BigInt(seq));
  }

  /**
   * Session `sessionId` is handled up to `seq`: {@link HandledSeqCell.advance} when this view began
   * that session last, {@link HandledSeqCell.begin} otherwise.
   *
   * @param sessionId - the session's id
   * @param seq - the last seq handled
   */
  public write(sessionId: string, seq: number): void {
    if (this.#begun === sessionId) this.advance(seq);
    else this.begin(sessionId, seq);
  }

  /**
   * How far the session last begun is handled; `undefined` when none was, or when a session is
   * being written each of the few times it looks (or was cut mid-write: its writer was stopped).
   */
  public read(): HandledPoint | undefined {
    const header = this.#header;
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const version = Atomics.load(header, 0);
      const length = Atomics.load(header, 1);
      if (version % 2 !== 0) continue;
      if (length === NO_ID) return undefined;
      const sessionId = length === LONG_ID ? undefined : String.fromCharCode(...this.#id.subarray(0, length));
      const seq = Number(Atomics.load(this.#seq, 0));
      if (Atomics.load(header, 0) === version) return { sessionId, seq };
    }
    return undefined;
  }
}
