import { GatewayError } from '../../errors/GatewayError.js';

/**
 * A stream entry delivered to workers more than `maxDeliveries` times without being acknowledged
 * (its handlers keep failing, or it crashes every worker that takes it). It was moved to the
 * dead-letter stream (`…:events:dead`, reason `undeliverable`) and acknowledged, so it no longer
 * holds back the trimming of the stream nor takes worker slots. Inspect it there, fix the handler,
 * and publish it again if it still matters.
 */
export class UndeliverableEventError extends GatewayError {
  /**
   * @param entryId - the entry's id in the event stream
   * @param deliveries - how many times it had been delivered
   * @param deadLetterId - its id in the dead-letter stream
   * @param eventId - the event's id, when the entry could be read
   */
  public constructor(
    public readonly entryId: string,
    public readonly deliveries: number,
    public readonly deadLetterId: string,
    public readonly eventId: string | undefined,
  ) {
    super(
      `event ${eventId ?? entryId} was delivered ${deliveries} times without being acknowledged (over maxDeliveries): moved to the dead-letter stream as ${deadLetterId} and acknowledged; fix its handler, then publish it again from there if it still matters`,
      undefined,
    );
  }
}
