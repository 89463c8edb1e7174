/**
 * The seam between the shard's session logic and one platform's wire format. The shard speaks
 * the `{op, d, s, t}` envelope shared by Discord-family gateways; everything that differs between
 * platforms (opcodes, frame builders, close codes, whether presence exists) comes from here.
 * `qqProtocol` in `./qq.ts` is the only implementation today.
 */
import type { GatewayPayload } from '@bot/core';

// The envelope is defined with the platform's other wire types in `@bot/http`; it names no
// opcode, so it serves any protocol behind this seam.
export type { GatewayPayload };

/** A dispatch (op 0): an event for the bot. */
export interface DispatchPayload<D = unknown> extends GatewayPayload<D> {
  op: 0;
  /** Event name exactly as sent, for example `AT_MESSAGE_CREATE`. */
  t: string;
}

/** Narrows parsed JSON to a frame: an object with a numeric `op`. */
export function isGatewayPayload(value: unknown): value is GatewayPayload {
  return typeof value === 'object' && value !== null && typeof (value as { op?: unknown }).op === 'number';
}

/**
 * Narrows a frame to a dispatch: the dispatch opcode and an event name.
 *
 * @param payload - a parsed frame
 * @param dispatchOp - the protocol's dispatch opcode (0 on QQ)
 */
export function isDispatch(payload: GatewayPayload, dispatchOp = 0): payload is DispatchPayload {
  return payload.op === dispatchOp && typeof payload.t === 'string';
}

/** What a shard does once a connection has ended. */
export type CloseAction =
  /** Reconnect and resume the session (falls back to identify when there is none to resume). */
  | 'resume'
  /** Drop the session and identify anew. */
  | 'identify'
  /** Refresh the access token, then identify; fatal when it happens again right away. */
  | 'reauthenticate'
  /** Wait until the outbound send window has reset, then resume. */
  | 'resumeAfterSendWindow'
  /** Stop for good: reconnecting cannot help (bad intents, invalid shard, banned bot, …). */
  | 'fatal';

/** One row of a close-code table. */
export interface CloseCodeRule {
  /** What the shard does. */
  action: CloseAction;
  /** The platform's meaning of the code, for logs and errors. */
  meaning: string;
}

/** Close code → rule. Codes missing from the table get the protocol's fallback action. */
export type CloseCodeTable = ReadonlyMap<number, CloseCodeRule>;

/** The bot's presence as the client layer describes it. */
export interface Presence {
  /** Online status. */
  status: 'online' | 'idle' | 'dnd' | 'invisible';
  /** What the bot is doing, where the platform can show it. */
  activity?: { name: string; type?: number | undefined } | undefined;
}

/** Inputs of an Identify frame. */
export interface IdentifyParams {
  /** The bare access token (the protocol adds any prefix). */
  accessToken: string;
  /** Intent bits. */
  intents: number;
  /** `[shard id, shard count]`. */
  shard: readonly [number, number];
  /** Presence, only used when {@link GatewayProtocol.supportsPresence} is true. */
  presence?: Presence;
}

/** Inputs of a Resume frame. */
export interface ResumeParams {
  /** The bare access token (the protocol adds any prefix). */
  accessToken: string;
  /** Session to resume. */
  sessionId: string;
  /** Last sequence number received. */
  seq: number;
}

/** Opcodes the shard acts on. */
export interface GatewayOpcodes {
  readonly dispatch: number;
  readonly heartbeat: number;
  readonly identify: number;
  readonly resume: number;
  readonly reconnect: number;
  readonly invalidSession: number;
  readonly hello: number;
  readonly heartbeatAck: number;
}

/** A platform's gateway wire format, as the shard needs it. */
export interface GatewayProtocol {
  /** Platform name, for logs. */
  readonly name: string;
  /** Whether Identify can carry a presence. */
  readonly supportsPresence: boolean;
  /** Opcode numbers. */
  readonly opcodes: GatewayOpcodes;
  /** Default close-code policy; users override single codes through shard options. */
  readonly closeCodes: CloseCodeTable;
  /** Action for codes missing from the table and for connections lost without a close code. */
  readonly fallbackCloseAction: CloseAction;
  /** Dispatch name that completes an identify. */
  readonly readyEvent: string;
  /** Dispatch name that completes a resume. */
  readonly resumedEvent: string;
  /**
   * Builds the URL to open from the one the REST API returned.
   *
   * @throws {@link ValidationError} when the URL is not a `ws:`/`wss:` URL
   */
  connectUrl(gatewayUrl: string): string;
  /** Builds an Identify frame. */
  identify(params: IdentifyParams): GatewayPayload;
  /** Builds a Resume frame. */
  resume(params: ResumeParams): GatewayPayload;
  /** Builds a Heartbeat frame carrying the last sequence number (or `null` before any). */
  heartbeat(seq: number | null): GatewayPayload;
  /** Reads the heartbeat interval (ms) from Hello data; `undefined` when it is malformed. */
  helloInterval(data: unknown): number | undefined;
  /** Reads the session id from ready-event data; `undefined` when it is malformed. */
  readySessionId(data: unknown): string | undefined;
  /**
   * Reads the `[shard id, shard count]` the ready event names: `undefined` when it names none
   * (for QQ also a count of 0), `null` when what it names is not a pair of integers. Without this method the shard takes
   * any READY as its own.
   */
  readyShard?(data: unknown): readonly [number, number] | null | undefined;
}
