import { GatewayError } from '../../errors/GatewayError.js';

/**
 * Events were removed from the stream before every consumer group acknowledged them: the stream was
 * over the lossy cap the publisher was given (`maxLength`). Those never delivered are lost; those a
 * worker was handling may still complete. Reported once per trimmed range, by the one process whose
 * trim removed it. docs/redis-deployment.md, "Stream trimming and consumer lag".
 */
export class UnreadEventsTrimmedError extends GatewayError {
  /**
   * @param count - entries removed unread
   * @param fromId - stream id of the first of them
   * @param untilId - stream id of the first entry kept after them (`''` when none is)
   * @param cap - the cap in force
   */
  public constructor(
    public readonly count: number,
    public readonly fromId: string,
    public readonly untilId: string,
    public readonly cap: number,
  ) {
    const range = untilId === '' ? `from ${fromId} on` : `from ${fromId} up to ${untilId} (excluded)`;
    super(
      `Redis: ${count} events were trimmed from the stream before every worker acknowledged them (${range}): ` +
        `the stream was over maxLength (${cap}); add workers, or raise or remove maxLength to have ` +
        'back-pressure instead of loss',
      undefined,
    );
  }
}
