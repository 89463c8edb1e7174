import { BotError } from '@bot/core';
import type { HttpMethod } from '../rest/RequestOptions.js';
import { repeatAdvice } from './delivery.js';

/**
 * The call was refused at once, unsent: its client already had `maxWaitingForConnection` calls
 * waiting for a free connection behind the `maxSockets` on the wire, so the platform answers
 * slower than calls are made. Refusing it keeps the memory those calls hold (some 30 KB each)
 * bounded instead of growing with every call until their `timeout`. Make fewer calls at once
 * (await them in batches, or limit how many run at once), or raise the client option
 * `maxWaitingForConnection` if bursts this large are expected.
 *
 * `mayHaveBeenSent` is `false`, unless an earlier attempt of the call may have reached the platform
 * (it met a 5xx or lost its connection and was to be sent again): the message then says to check
 * before sending it again.
 */
export class ConnectionQueueFullError extends BotError {
  public readonly kind = 'connectionQueueFull' as const;

  /**
   * @param method - HTTP method of the request
   * @param route - route template of the request
   * @param waiting - calls the client's connection pool held past `maxSockets` when it was refused
   * @param ended - how many of `waiting` had already ended (timed out, cancelled): Node's pool
   *   keeps such a call, and its memory, until one of its connections comes free
   * @param maxSockets - the client's `maxSockets`
   * @param limit - the client's `maxWaitingForConnection`
   * @param mayHaveBeenSent - whether an earlier attempt of the call may have reached the platform
   */
  public constructor(
    public readonly method: HttpMethod,
    public readonly route: string,
    public readonly waiting: number,
    public readonly ended: number,
    public readonly maxSockets: number,
    public readonly limit: number,
    public readonly mayHaveBeenSent = false,
  ) {
    const earlier = mayHaveBeenSent ? repeatAdvice(method, route, true) : undefined;
    const lingering =
      ended > 0
        ? ` (${ended} of them already ended, timed out or cancelled, but Node keeps them until a connection comes free)`
        : '';
    super(
      `${method} ${route} was not sent: ${waiting} calls of this client already wait for a free ` +
        `connection behind the ${maxSockets} it may open (maxSockets), as many as ` +
        `maxWaitingForConnection (${limit}) allows${lingering}, because the platform answers slower ` +
        'than calls are made: make fewer calls at once (await them in batches, or limit how many run ' +
        'at once), or raise maxWaitingForConnection if bursts this large are expected (each waiting ' +
        'call holds some 30 KB)' +
        (earlier === undefined ? '' : `; an earlier attempt failed after it was sent: ${earlier}`),
    );
  }
}

declare module '@bot/core' {
  interface BotErrorKinds {
    connectionQueueFull: ConnectionQueueFullError;
  }
}
