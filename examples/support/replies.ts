import { EmulatorError, type Emulator, type EmulatorRecord, type RestRecord } from '@bot/testing';

/** The platform accepts at most this many replies to one inbound message. */
const MAX_REPLIES_PER_MESSAGE = 5;

/** A message the bot sent in reply, as the emulator recorded it. */
export interface BotReply {
  /** The route it was sent to (`POST /v2/groups/{group_openid}/messages`, …). */
  route: string;
  /** Its text (`content`); empty for messages without text. */
  content: string;
  /** The emulator's HTTP status: 200, or the error the platform would have answered. */
  status: number;
  /** The `msg_seq` it carried (group and C2C replies). */
  msgSeq: number | undefined;
}

/** How {@link collectReplies} waits. */
export interface CollectOptions {
  /** Recorder index to search from (`emulator.recorder.mark()` taken before the message was sent). */
  from: number;
  /** How long to wait for the first reply, in ms. */
  timeout: number;
  /** Stop as soon as this many replies arrived. */
  expected?: number;
  /** Count only replies the platform accepted (2xx), not sends it refused. */
  acceptedOnly?: boolean;
  /** After a reply, how long to wait for another before stopping, in ms (400 by default). */
  settle?: number;
  /** Called with each reply as it arrives. */
  onReply?: (reply: BotReply) => void;
  /** Stops waiting when aborted: the promise then resolves with the replies collected so far. */
  signal?: AbortSignal;
}

/**
 * Collects the bot's replies to one inbound message from the emulator's recorder: every message
 * send whose `msg_id` quotes it. Resolves when `expected` replies arrived, when no further reply
 * came within `settle` ms, when `signal` aborted, or, empty, when none came within `timeout` ms.
 *
 * @param emulator - the emulator the bot talks to
 * @param messageId - the inbound message's id
 * @param options - where to start, how long to wait, and a callback per reply
 */
export async function collectReplies(
  emulator: Emulator,
  messageId: string,
  options: CollectOptions,
): Promise<BotReply[]> {
  const limit = Math.min(options.expected ?? MAX_REPLIES_PER_MESSAGE, MAX_REPLIES_PER_MESSAGE);
  const replies: BotReply[] = [];
  const { signal } = options;
  let from = options.from;
  let timeout = options.timeout;
  while (replies.length < limit) {
    let record: RestRecord;
    try {
      const matches = (r: EmulatorRecord): r is RestRecord =>
        isReplyTo(r, messageId) && (!options.acceptedOnly || isAccepted(r));
      record = await emulator.recorder.waitFor(matches, { from, timeout, ...(signal && { signal }) });
    } catch (error) {
      // The recorder fails on its timeout (no further reply came) or on the caller's abort.
      if (error instanceof EmulatorError || signal?.aborted) break;
      throw error;
    }
    const reply = toReply(record);
    replies.push(reply);
    options.onReply?.(reply);
    from = record.index + 1;
    timeout = options.settle ?? 400;
  }
  return replies;
}

/** Whether a record is a message send by the bot that replies to `messageId`. */
function isReplyTo(record: EmulatorRecord, messageId: string): boolean {
  return (
    record.kind === 'rest' &&
    record.method === 'POST' &&
    record.route !== null &&
    record.route.endsWith('/messages') &&
    field(record.body, 'msg_id') === messageId
  );
}

function isAccepted(record: EmulatorRecord): boolean {
  return record.kind === 'rest' && record.status >= 200 && record.status < 300;
}

function toReply(record: RestRecord): BotReply {
  const content = field(record.body, 'content');
  const msgSeq = field(record.body, 'msg_seq');
  return {
    route: record.route ?? record.path,
    content: typeof content === 'string' ? content : '',
    status: record.status,
    msgSeq: typeof msgSeq === 'number' ? msgSeq : undefined,
  };
}

function field(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
}
