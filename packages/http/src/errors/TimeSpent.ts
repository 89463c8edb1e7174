/**
 * What held a request in this client's queue: its turn in the route's window of sends (`pace`),
 * a rate-limit pause of its route (`pause`) or of every route (`global`), a free slot under
 * `rateLimits.concurrency` (`concurrency`), or a free connection under `maxSockets` (`sockets`:
 * every connection the client may open was taken by requests still on the wire).
 */
export type QueuedFor = 'pace' | 'pause' | 'global' | 'concurrency' | 'sockets';

/**
 * Where the time of a call that timed out went, in milliseconds on the steady clock: waiting in
 * this client (for an access token, for its turn in the route's queue) or not (at the platform:
 * on the network, waiting for answers, and the back-offs between attempts it answered badly).
 */
export interface TimeSpent {
  /** Waiting for an access token, the back-offs after a failing token endpoint included. */
  readonly tokenMs: number;
  /** Waiting in this client's route queue, not yet sent. */
  readonly queueMs: number;
  /** The rest: sent, at the platform or on the way there, and backing off between attempts. */
  readonly platformMs: number;
  /** What the queue held the call for when its time ran out there; absent otherwise. */
  readonly queuedFor?: QueuedFor;
}

const QUEUED_FOR: Record<QueuedFor, string> = {
  pace: "for its turn in the route's window of sends",
  pause: 'behind a rate-limit pause of its route',
  global: 'behind a rate-limit pause of every route',
  concurrency: 'for a slot under rateLimits.concurrency',
  sockets: 'for a free connection under maxSockets',
};

function queuedFor(reason: QueuedFor | undefined): string {
  return reason === undefined ? 'for its turn' : QUEUED_FOR[reason];
}

/** How `spent` reads in a timeout's message: the figures, largest share first. */
export function describeTimeSpent(spent: TimeSpent): string {
  const parts: [number, string][] = [
    [spent.queueMs, `${spent.queueMs} ms in this client's queue ${queuedFor(spent.queuedFor)}`],
    [spent.tokenMs, `${spent.tokenMs} ms waiting for an access token`],
    [spent.platformMs, `${spent.platformMs} ms at the platform`],
  ];
  const [first, ...rest] = parts.sort((a, b) => b[0] - a[0]);
  return [first![1], ...rest.filter(([ms]) => ms > 0).map(([, text]) => text)].join(', ');
}

/** Whether most of the time went to waiting in this client rather than at the platform. */
export function mostlyLocal(spent: TimeSpent): boolean {
  return spent.queueMs + spent.tokenMs > spent.platformMs;
}
