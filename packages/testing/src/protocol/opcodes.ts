/**
 * Gateway and webhook opcodes of the QQ Bot Open Platform (docs/protocol.md §3.2).
 */
export const OpCode = {
  /** Server → client: an event. */
  Dispatch: 0,
  /** Client → server: keep-alive carrying the last sequence number. */
  Heartbeat: 1,
  /** Client → server: start a new session. */
  Identify: 2,
  /** Client → server: continue a session after a disconnect. */
  Resume: 6,
  /** Server → client: reconnect and resume. */
  Reconnect: 7,
  /** Server → client: the identify or resume was rejected. */
  InvalidSession: 9,
  /** Server → client: first frame, carries the heartbeat interval. */
  Hello: 10,
  /** Server → client: heartbeat acknowledged. */
  HeartbeatAck: 11,
  /** Bot → platform: acknowledgement of a webhook delivery. */
  HttpCallbackAck: 12,
  /** Platform → bot: webhook URL validation challenge. */
  CallbackValidation: 13,
} as const;

/** One of the numeric opcodes in {@link OpCode}. */
export type OpCodeValue = (typeof OpCode)[keyof typeof OpCode];

/** The envelope every gateway frame and webhook body uses. */
export interface GatewayPayload<D = unknown> {
  /** Event id (dispatches only); usable as `event_id` when replying to non-message events. */
  id?: string;
  op: number;
  d?: D;
  /** Sequence number (gateway dispatches only). */
  s?: number;
  /** Event name in UPPER_SNAKE case (dispatches only). */
  t?: string;
}
