import type { GatewayPayload } from '@bot/core';

/** Fields every record has. */
export interface RecordBase {
  /** Position in the recording, increasing from 0; stays stable when old records are trimmed. */
  index: number;
  /** Unix milliseconds when it was recorded. */
  at: number;
}

/** A REST call the bot made, with the emulator's answer. */
export interface RestRecord extends RecordBase {
  kind: 'rest';
  method: string;
  path: string;
  /** The matched route template, e.g. `POST /channels/{channel_id}/messages`; null when no route matched. */
  route: string | null;
  params: Record<string, string>;
  query: Record<string, string>;
  /** Request headers, lower-case; the Authorization credential is masked. */
  headers: Record<string, string>;
  /** The parsed JSON body, the multipart fields, or undefined. */
  body: unknown;
  status: number;
  response: unknown;
  traceId: string;
}

/** A request to the token endpoint. */
export interface TokenRecord extends RecordBase {
  kind: 'token';
  appId: string | null;
  status: number;
}

/** A frame the bot sent on the gateway. */
export interface GatewayFrameRecord extends RecordBase {
  kind: 'gateway';
  connectionId: number;
  /** The shard of the connection's session, once it identified or resumed. */
  shard: [number, number] | null;
  sessionId: string | null;
  /** The opcode, or null when the frame was not a valid payload. */
  op: number | null;
  d: unknown;
  /** The raw text (first 4 KiB) as received. */
  raw: string;
}

/** A frame the emulator sent on the gateway (Hello, READY, dispatches, acks, op 7, op 9). */
export interface SentFrameRecord extends RecordBase {
  kind: 'sent';
  connectionId: number;
  shard: [number, number] | null;
  sessionId: string | null;
  payload: GatewayPayload;
}

/** A gateway connection opened. */
export interface OpenRecord extends RecordBase {
  kind: 'open';
  connectionId: number;
}

/** A gateway connection closed. */
export interface CloseRecord extends RecordBase {
  kind: 'close';
  connectionId: number;
  shard: [number, number] | null;
  sessionId: string | null;
  code: number;
  reason: string;
  /** Who ended it: the emulator with a close frame, the bot, or the emulator dropping the TCP socket. */
  initiator: 'server' | 'client' | 'drop';
}

/** One webhook delivery attempt. */
export interface WebhookRecord extends RecordBase {
  kind: 'webhook';
  url: string;
  payload: GatewayPayload;
  attempt: number;
  /** HTTP status, or null when the request failed at the network level. */
  status: number | null;
  /** The `d` of the bot's op 12 acknowledgement, or null when there was none. */
  ack: number | null;
  error?: string;
}

/** Anything the recorder holds. */
export type EmulatorRecord =
  RestRecord | TokenRecord | GatewayFrameRecord | SentFrameRecord | OpenRecord | CloseRecord | WebhookRecord;

/** A record before the recorder numbers and timestamps it. */
export type NewRecord = EmulatorRecord extends infer R
  ? R extends EmulatorRecord
    ? Omit<R, 'index' | 'at'>
    : never
  : never;
