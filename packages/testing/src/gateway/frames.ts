import type { RawData } from 'ws';
import { GatewayCloseCode, type GatewayPayload } from '@bot/core';
import { ALL_INTENTS } from '../protocol/intents.js';
import { isInteger, isJsonObject, tryParseJson } from '../util/guards.js';

/** A frame the gateway refuses, with the close code and reason it answers with. */
export interface FrameProblem {
  problem: true;
  code: number;
  reason: string;
}

/** A client frame that parsed into an envelope. */
export interface ParsedFrame {
  problem: false;
  text: string;
  payload: GatewayPayload;
}

/** The fields of a valid Identify. */
export interface IdentifyData {
  token: string;
  intents: number;
  shard: [number, number];
}

/** The fields of a valid Resume. */
export interface ResumeData {
  token: string;
  sessionId: string;
  seq: number;
}

function problem(code: number, reason: string): FrameProblem {
  return { problem: true, code, reason };
}

function rawText(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** Parses one client frame: text, within `maxBytes`, JSON, an object with an integer `op`. */
export function parseFrame(data: RawData, isBinary: boolean, maxBytes: number): ParsedFrame | FrameProblem {
  const bytes = rawText(data);
  if (isBinary) return problem(GatewayCloseCode.InvalidPayload, 'binary frames are not accepted');
  if (bytes.length > maxBytes)
    return problem(GatewayCloseCode.InvalidPayload, `frame of ${bytes.length} bytes exceeds ${maxBytes}`);
  const text = bytes.toString('utf8');
  const parsed = tryParseJson(text);
  if (!parsed) return problem(GatewayCloseCode.InvalidPayload, 'frame is not valid JSON');
  if (!isJsonObject(parsed.value))
    return problem(GatewayCloseCode.InvalidPayload, 'frame must be a JSON object');
  const op = parsed.value['op'];
  if (!isInteger(op)) return problem(GatewayCloseCode.InvalidPayload, 'frame needs an integer "op"');
  return { problem: false, text, payload: parsed.value as unknown as GatewayPayload };
}

/** Validates an Identify's `d`. */
export function readIdentify(d: unknown): IdentifyData | FrameProblem {
  if (!isJsonObject(d)) return problem(GatewayCloseCode.InvalidPayload, 'identify "d" must be an object');
  const { token, intents, shard } = d;
  if (typeof token !== 'string')
    return problem(GatewayCloseCode.InvalidPayload, 'identify needs a string "token"');
  if (!isInteger(intents) || intents < 0 || (intents & ~ALL_INTENTS) !== 0) {
    return problem(GatewayCloseCode.InvalidIntents, 'identify "intents" must be a bit set of known intents');
  }
  if (shard === undefined || shard === null) return { token, intents, shard: [0, 1] };
  if (!Array.isArray(shard) || shard.length !== 2 || !isInteger(shard[0]) || !isInteger(shard[1])) {
    return problem(GatewayCloseCode.InvalidShard, 'identify "shard" must be [shard_id, shard_count]');
  }
  const [id, count] = shard as [number, number];
  if (count < 1 || id < 0 || id >= count)
    return problem(GatewayCloseCode.InvalidShard, `shard [${id}, ${count}] is out of range`);
  return { token, intents, shard: [id, count] };
}

/** Validates a Resume's `d`. The token may carry the `QQBot ` prefix or not. */
export function readResume(d: unknown): ResumeData | FrameProblem {
  if (!isJsonObject(d)) return problem(GatewayCloseCode.InvalidPayload, 'resume "d" must be an object');
  const { token, session_id: sessionId, seq } = d;
  if (typeof token !== 'string')
    return problem(GatewayCloseCode.InvalidPayload, 'resume needs a string "token"');
  if (typeof sessionId !== 'string')
    return problem(GatewayCloseCode.InvalidPayload, 'resume needs a string "session_id"');
  if (seq !== undefined && seq !== null && (!isInteger(seq) || seq < 0)) {
    return problem(GatewayCloseCode.InvalidPayload, 'resume "seq" must be a non-negative integer');
  }
  return {
    token: token.startsWith('QQBot ') ? token.slice('QQBot '.length) : token,
    sessionId,
    seq: isInteger(seq) ? seq : 0,
  };
}
