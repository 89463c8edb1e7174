/** What a flood child is asked to do. */
export interface FloodJob {
  /** Emulator REST URL. */
  restUrl: string;
  /** Emulator token endpoint. */
  tokenUrl: string;
  /** Bot app id the emulator accepts. */
  appId: string;
  /** Bot secret the emulator accepts. */
  secret: string;
  /** Events the parent queues once the child is ready; all must be handled across the restart. */
  events: number;
  /** Milliseconds each event takes in the first client's handler. */
  handlerMs: number;
  /** Events the first client handles before it is shut down (the rest is left for the second). */
  shutdownAfter: number;
  /** `shutdown({ deadlineMs })` of the first client. */
  deadlineMs: number;
}

/** What a flood child measured. */
export interface FloodResult {
  /** Highest live heap while the first client ran under the flood, minus the heap before it. */
  heapGrowthBytes: number;
  /** Time `shutdown()` of the first client took. */
  shutdownMs: number;
  /** Events the first client handled. */
  handledBefore: number;
  /** Events the second client handled after resuming the session. */
  handledAfter: number;
  /** Distinct event ids handled by both. */
  distinct: number;
  /** Events handled a second time. */
  duplicates: number;
  /** Events the first client's shutdown gave up on (reported as `AbandonedEventsError`). */
  abandoned: number;
}
