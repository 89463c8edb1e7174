import { steadyNow } from '@bot/core';

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
 * unacknowledged when the next is due, and once what waited in the socket was read, means a
 * zombie connection, reported once; beating stops. Its owner reports each frame it reads
 * ({@link Heartbeater.frameRead}), so the verdict can wait until a read brings nothing new.
 */
export class Heartbeater {
  readonly #hooks: HeartbeatHooks;
  #timer: NodeJS.Timeout | undefined;
  /** A verdict on an overdue beat, put off until the socket has been read (see #tick). */
  #verdict: NodeJS.Immediate | undefined;
  /** Frames read so far: the verdict compares counts to tell whether a read brought any. */
  #framesRead = 0;
  #awaitingAck = false;
  /** When the latest beat went out, on the steady clock. */
  #sentAt = 0;
  /** The latest beat is the schedule's, not one the server asked for (or it stood in for one). */
  #sentScheduled = false;
  /** The beat the last acknowledgement answered was the schedule's (see {@link Heartbeater.acknowledgedScheduled}). */
  #ackScheduled = false;
  #intervalMs = 0;
  #latency: number | undefined;
  #detectingZombies = true;

  /** @param hooks - how to beat and whom to tell about a zombie */
  public constructor(hooks: HeartbeatHooks) {
    this.#hooks = hooks;
  }

  /** Round-trip time of the last acknowledged beat in whole milliseconds, if any. */
  public get latency(): number | undefined {
    return this.#latency;
  }

  /**
   * Whether the beat the last {@link Heartbeater.acknowledge} answered was one of the schedule's,
   * not one the server asked for with op 1. A server can ask for a beat and acknowledge it at any
   * moment, so only a scheduled beat's acknowledgement shows the connection lasted into its
   * heartbeat schedule (the planner counts only those as a healthy connection).
   */
  public get acknowledgedScheduled(): boolean {
    return this.#ackScheduled;
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
        this.#timer = setInterval(() => this.#tick(), intervalMs);
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
    this.#send(false);
    return true;
  }

  /**
   * Records an acknowledgement.
   *
   * @returns the round trip in whole milliseconds (rounded), measured on the steady clock (the
   *   wall clock's steps do not distort it), or `undefined` for an unsolicited ack
   */
  public acknowledge(): number | undefined {
    if (!this.#awaitingAck) return undefined;
    this.#awaitingAck = false;
    this.#ackScheduled = this.#sentScheduled;
    // The steady clock reads fractions of a millisecond; users see and compare whole ones.
    this.#latency = Math.round(steadyNow() - this.#sentAt);
    return this.#latency;
  }

  /**
   * Counts one frame read from the socket (any frame: the acknowledgement may wait behind others).
   * Called for every frame, so it only counts.
   */
  public frameRead(): void {
    this.#framesRead++;
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
   * the connection. Only a beat sent from now on can be: the next scheduled one goes out within
   * an interval and is judged at the tick after it, so the earliest verdict is between one and
   * two intervals away (sooner only for a beat the server asks for, judged once over half an
   * interval old).
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
    clearImmediate(this.#verdict);
    this.#verdict = undefined;
    this.#awaitingAck = false;
  }

  #tick(): void {
    // A verdict already waiting for the socket stands for this tick too (the loop was blocked
    // again while it waited).
    if (this.#verdict !== undefined) return;
    if (this.#awaitingAck && this.#detectingZombies) {
      // A beat sent within the last half interval (only one the server asked for can be that
      // recent) may not have had its chance to be answered yet: it stands for this interval's
      // beat. Its age is read on the steady clock, which the wall clock's steps do not move.
      if (steadyNow() - this.#sentAt <= this.#intervalMs / 2) {
        // The connection lasted to this tick: the beat standing for it counts as the schedule's.
        this.#sentScheduled = true;
        return;
      }
      // Overdue. Node runs due timers before it reads sockets: after the event loop was blocked
      // (a long synchronous handler, a GC storm) the acknowledgement may be waiting unread. The
      // verdict comes after the next read of the sockets, when immediates run.
      this.#deferVerdict(this.#sentAt, steadyNow(), this.#framesRead);
      return;
    }
    this.#send(true);
  }

  /**
   * Judges the beat sent at `sentAt` once the sockets were read (immediates run after the read).
   * A read takes in only so much (about a hundred kilobytes): an acknowledgement behind a larger
   * backlog (the guilds of a startup, what piled up while the loop was blocked) needs several.
   * So while reads still bring frames, the verdict waits for the next one, for at most half an
   * interval from the tick (`since`, on the steady clock): a connection that delivers frames but
   * never the acknowledgement is still cut, at the latest that much later.
   */
  #deferVerdict(sentAt: number, since: number, framesBefore: number): void {
    this.#verdict = setImmediate(() => {
      this.#verdict = undefined;
      const unanswered = this.#awaitingAck && this.#detectingZombies;
      if (unanswered && this.#framesRead !== framesBefore && steadyNow() - since < this.#intervalMs / 2) {
        this.#deferVerdict(sentAt, since, this.#framesRead);
        return;
      }
      this.#judge(sentAt);
    });
  }

  /** The verdict on the beat sent at `sentAt`, which a tick found overdue, now the sockets were read. */
  #judge(sentAt: number): void {
    if (this.#timer === undefined) return;
    // A newer beat (the server asked for one once the overdue beat was answered) stands for this tick.
    if (this.#sentAt !== sentAt) return;
    if (this.#awaitingAck && this.#detectingZombies) {
      this.stop();
      this.#hooks.zombie();
      return;
    }
    // Answered after all (or no longer held against the connection): the tick's beat goes out now.
    this.#send(true);
  }

  /** @param scheduled - the schedule's beat, not one the server asked for */
  #send(scheduled: boolean): void {
    this.#awaitingAck = true;
    this.#sentAt = steadyNow();
    this.#sentScheduled = scheduled;
    this.#hooks.beat();
  }
}
