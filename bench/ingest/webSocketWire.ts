import { createHash } from 'node:crypto';

/**
 * Just enough of RFC 6455 for the stream server: the opening handshake, unmasked server frames,
 * and masked client frames. Writing frames ourselves lets the server hand the kernel a whole
 * pre-framed stream in large writes, so the server is never what limits a contender.
 */

/** Frame opcodes the stream server deals with. */
export const WsOpcode = { text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/**
 * The `101 Switching Protocols` answer to a client's upgrade request.
 *
 * @param key - the client's `Sec-WebSocket-Key`
 */
export function handshakeResponse(key: string): string {
  const accept = createHash('sha1')
    .update(key + HANDSHAKE_GUID)
    .digest('base64');
  return [
    'HTTP/1.1 101 Switching Protocols',
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Accept: ${accept}`,
    '',
    '',
  ].join('\r\n');
}

/**
 * Encodes one final, unmasked frame (servers never mask).
 *
 * @param opcode - one of {@link WsOpcode}
 * @param payload - the frame's payload
 */
export function encodeFrame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x80 | opcode;
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  payload.copy(frame, headerLength);
  return frame;
}

/** A frame received from a client, unmasked. */
export interface ClientFrame {
  opcode: number;
  payload: Buffer;
}

/** Thrown for client frames the stream server does not accept. */
export class FrameError extends Error {
  /** @param message - what was wrong with the frame */
  public constructor(message: string) {
    super(message);
    this.name = 'FrameError';
  }
}

/**
 * Turns the bytes a client sends into frames, however TCP splits them. Client frames must be
 * masked and unfragmented (every gateway client sends small whole frames), and at most `maxBytes`.
 */
export class ClientFrameDecoder {
  #pending: Buffer = Buffer.alloc(0);

  /** @param maxBytes - largest accepted payload (64 KiB by default) */
  public constructor(private readonly maxBytes = 65_536) {}

  /**
   * Adds received bytes and returns every frame they complete.
   *
   * @throws {@link FrameError} for an unmasked, fragmented or oversized frame
   */
  public push(chunk: Buffer): ClientFrame[] {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const frames: ClientFrame[] = [];
    for (let frame = this.#next(); frame !== undefined; frame = this.#next()) frames.push(frame);
    return frames;
  }

  #next(): ClientFrame | undefined {
    const bytes = this.#pending;
    if (bytes.length < 2) return undefined;
    const first = bytes[0] ?? 0;
    const second = bytes[1] ?? 0;
    if ((first & 0x80) === 0) throw new FrameError('fragmented client frames are not supported');
    if ((second & 0x80) === 0) throw new FrameError('client frames must be masked');
    const shortLength = second & 0x7f;
    let offset = 2;
    let length = shortLength;
    if (shortLength === 126) {
      if (bytes.length < 4) return undefined;
      length = bytes.readUInt16BE(2);
      offset = 4;
    } else if (shortLength === 127) {
      if (bytes.length < 10) return undefined;
      length = Number(bytes.readBigUInt64BE(2));
      offset = 10;
    }
    if (length > this.maxBytes)
      throw new FrameError(`client frame of ${length} bytes exceeds ${this.maxBytes}`);
    const end = offset + 4 + length;
    if (bytes.length < end) return undefined;
    const mask = bytes.subarray(offset, offset + 4);
    const payload = Buffer.from(bytes.subarray(offset + 4, end));
    for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (mask[i & 3] ?? 0);
    this.#pending = bytes.subarray(end);
    return { opcode: first & 0x0f, payload };
  }
}
