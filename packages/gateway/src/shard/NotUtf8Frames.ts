import { isUtf8 } from 'node:buffer';
import type WebSocket from 'ws';
import type { GatewayPayload } from '../protocol/GatewayProtocol.js';
import { describeWireValue, wireName } from '@bot/core';

/** The bytes of a frame as one Buffer; an ArrayBuffer is viewed, not copied. */
export function frameBytes(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/**
 * Whether decoded text stands for bytes that were not UTF-8. Only text holding U+FFFD is checked
 * against its bytes: a one-byte string answers the search at once (docs/protocol.md §3.10).
 *
 * @param text - `bytes` decoded as UTF-8
 * @param bytes - what was received
 */
export function decodedFromNotUtf8(text: string, bytes: Buffer): boolean {
  return text.includes('\uFFFD') && !isUtf8(bytes);
}

/**
 * Counts the frames of one connection that held bytes that are not UTF-8, so that the first is
 * reported when it arrives and the rest once, as a count, when the connection ends: a peer
 * sending many cannot flood the error reports, and none goes unsaid.
 */
export class NotUtf8Frames {
  #count = 0;

  /**
   * Counts one such frame.
   *
   * @param payload - the frame, as parsed with U+FFFD in place of the bad bytes
   * @returns the error to report for the connection's first; `undefined` for later ones
   */
  public note(payload: GatewayPayload): Error | undefined {
    this.#count += 1;
    if (this.#count > 1) return undefined;
    // Both straight from the wire: `s` may be any JSON value (even one too deep to stringify),
    // `t` missing or megabytes long.
    const event = typeof payload.t === 'string' ? ` (${wireName(payload.t)})` : '';
    const seq = typeof payload.s === 'number' ? String(payload.s) : `(${describeWireValue(payload.s)})`;
    return new Error(
      `frame op ${payload.op} seq ${seq}${event} held bytes that are not UTF-8; ` +
        'delivered with U+FFFD in their place, so its text and ids may differ from what was sent ' +
        '(later such frames on this connection are counted and reported when it ends)',
    );
  }

  /** The error to report as the connection ends, when more than one frame was counted. */
  public summary(): Error | undefined {
    if (this.#count < 2) return undefined;
    return new Error(
      `${this.#count} frames on one connection held bytes that are not UTF-8 and were delivered ` +
        'with U+FFFD in their place (the first was reported when it arrived)',
    );
  }
}
