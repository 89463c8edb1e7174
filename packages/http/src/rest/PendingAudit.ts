/**
 * The platform accepted a message but holds it for audit (HTTP 201/202, codes `304023`/`304024`).
 * It is a result, not an error: the outcome arrives later as a `MESSAGE_AUDIT_PASS` or
 * `MESSAGE_AUDIT_REJECT` event carrying the same {@link PendingAudit.auditId}.
 */
export class PendingAudit {
  /** Discriminant shared with sent-message results: `if (result.pendingAudit) …`. */
  public readonly pendingAudit = true as const;

  /**
   * @param auditId - id the later audit event will carry
   * @param code - platform code (`304023` or `304024`)
   * @param message - the platform's message
   * @param traceId - trace id of the answer
   */
  public constructor(
    public readonly auditId: string,
    public readonly code: number,
    public readonly message: string,
    public readonly traceId: string | undefined,
  ) {}
}

/** Narrows a send result to a {@link PendingAudit}. */
export function isPendingAudit(value: unknown): value is PendingAudit {
  return value instanceof PendingAudit;
}
