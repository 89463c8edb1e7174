import { GatewayError } from '../../errors/GatewayError.js';

/**
 * A stream entry a consumer cannot read as a dispatch (no `payload` field, a payload that is not
 * JSON or not a dispatch, a bad shard field): no handler could ever take it. It was moved to the
 * dead-letter stream (`…:events:dead`, reason `undecodable`, with its entry id and raw fields) and
 * acknowledged, so it neither comes back nor is lost to trimming. Look at what wrote it (every
 * publisher of the stream should run the same version), and publish it again from there if it
 * still matters.
 */
export class UndecodableEventError extends GatewayError {
  /**
   * @param entryId - the entry's id in the event stream
   * @param problem - what is wrong with it
   * @param deadLetterId - its id in the dead-letter stream
   */
  public constructor(
    public readonly entryId: string,
    public readonly problem: string,
    public readonly deadLetterId: string,
  ) {
    super(
      `stream entry ${entryId} cannot be read as a dispatch (${problem}): moved to the dead-letter stream as ${deadLetterId} (reason undecodable) and acknowledged; check what published it, then publish it again from there if it still matters`,
      undefined,
    );
  }
}
