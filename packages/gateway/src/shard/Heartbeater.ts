/** What a {@link Heartbeater} drives. */
export interface HeartbeatHooks {
  /** Sends one heartbeat frame now. */
  beat(): void;
  /** The previous beat was never acknowledged: the connection is dead but not closed. */
  zombie(): void;
}

/**
 * Keeps a connection's heartbeat: the first beat after a random fraction of the interval (so
 * shards that connected together do not beat together), then one per interval. A beat still
 * unacknowledged when the next is due means a zombie connection, reported once; beating stops.
 */
export class Heartbeater {
  readonly #hooks: HeartbeatHooks;
  #timer: NodeJS.Timeout | undefined;
  #awaitingAck = false;
  /** The beat awaiting its acknowledgement was asked for by the server within the last half interval. */
  #requestedSinceTick = false;
  #sentAt = 0;
  #intervalMs = 0;
  #latency: number | undefined;
  #detectingZombies = true;

  /** @param hooks - how to beat and whom to tell about a zombie */
  public constructor(hooks: HeartbeatHooks) {
    this.#hooks = hooks;
  }

  /** Round-trip time of the last acknowledged beat in milliseconds, if any. */
  public get latency(): number | undefined {
    return this.#latency;
  }

  /**
   * Starts beating.
   *
   * @param intervalMs - the interval from Hello
   */
  public start(intervalMs: number): void {
    this.stop();
    this.#intervalMs = intervalMs;
    this.#timer = setTimeout(
      () => {
        this.#tick();
        if (this.#timer === undefined) return;
        // Half-interval steps: each beat, and halfway between beats the point after which a
        // requested beat is recent enough to stand for the next one (see #tick).
        let halfway = false;
        this.#timer = setInterval(
          () => {
            halfway = !halfway;
            if (halfway) this.#requestedSinceTick = false;
            else this.#tick();
          },
          Math.max(1, Math.floor(intervalMs / 2)),
        );
      },
      Math.floor(intervalMs * Math.random()),
    );
  }

  /**
   * Beats immediately, out of schedule (the server asked for it), unless a beat is still waiting
   * for its acknowledgement: that one answers the request too, so a flood of requests costs one
   * beat per round trip.
   *
   * @returns whether a beat went out
   */
  public beatNow(): boolean {
    if (this.#awaitingAck) return false;
    this.#send();
    this.#requestedSinceTick = true;
    return true;
  }

  /**
   * Records an acknowledgement.
   *
   * @returns the measured latency in milliseconds, or `undefined` for an unsolicited ack and for
   *   a reading the wall clock stepped through (below 0 or above two intervals: the latency shown
   *   stays the previous one)
   */
  public acknowledge(): number | undefined {
    if (!this.#awaitingAck) return undefined;
    this.#awaitingAck = false;
    const reading = Date.now() - this.#sentAt;
    if (reading < 0 || reading > 2 * this.#intervalMs) return undefined;
    this.#latency = reading;
    return reading;
  }

  /**
   * Keeps beating but stops treating a missing acknowledgement as a zombie: while its owner does
   * not read the socket, acknowledgements wait unread and their absence proves nothing.
   */
  public suspendZombieDetection(): void {
    this.#detectingZombies = false;
  }

  /**
   * Detects zombies again, counting from now: beats sent while suspended are not held against
   * the connection, so the earliest zombie verdict is two intervals away.
   */
  public resumeZombieDetection(): void {
    this.#detectingZombies = true;
    this.#awaitingAck = false;
  }

  /** Stops beating; safe to call more than once. */
  public stop(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
    this.#awaitingAck = false;
    this.#requestedSinceTick = false;
  }

  #tick(): void {
    const requested = this.#requestedSinceTick;
    this.#requestedSinceTick = false;
    if (this.#awaitingAck && this.#detectingZombies) {
      // A beat the server asked for within the last half interval may not have had its chance
      // to be answered yet: it stands for this interval's beat. Only a beat left unanswered for
      // longer marks the connection as a zombie. Counted in timer steps, not by the wall clock,
      // which can step (a time sync) and would stop or hasten the verdict.
      if (requested) return;
      this.stop();
      this.#hooks.zombie();
      return;
    }
    this.#send();
  }

  #send(): void {
    this.#awaitingAck = true;
    this.#sentAt = Date.now();
    this.#hooks.beat();
  }
}
