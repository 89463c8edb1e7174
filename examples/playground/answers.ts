import { EmulatorError, type Emulator, type EmulatorRecord, type RestRecord } from '@bot/testing';

const STREAM_ROUTE = 'POST /v2/users/{openid}/stream_messages';
const STREAM_DONE = 10;
/** Longest pause between two frames of one stream before the console stops watching it. */
export const FRAME_TIMEOUT_MS = 10_000;

/** One frame of a streamed reply, as the emulator accepted it. */
export interface StreamFrame {
  /** 1, 2, 3… */
  number: number;
  /** The whole text so far. */
  text: string;
  /** Whether it is the last frame. */
  done: boolean;
}

/** How to wait. */
export interface WaitOptions {
  /** Recorder index to search from (a mark taken before the message was sent). */
  from: number;
  /** How long to wait for the first record, in ms. */
  timeout: number;
  /** Stops waiting; what was seen so far is returned. */
  signal?: AbortSignal;
}

/** Whether a record is a message send of the bot, accepted by the platform, replying to `messageId`. */
export function isAcceptedReplyTo(record: EmulatorRecord, messageId: string): boolean {
  return (
    record.kind === 'rest' &&
    record.method === 'POST' &&
    record.route?.endsWith('/messages') === true &&
    record.status >= 200 &&
    record.status < 300 &&
    field(record.body, 'msg_id') === messageId
  );
}

/** Whether a record is the first frame of a stream answering `messageId`. */
export function isFirstFrameOf(record: EmulatorRecord, messageId: string): boolean {
  return (
    record.kind === 'rest' &&
    record.route === STREAM_ROUTE &&
    record.status === 200 &&
    field(record.body, 'msg_id') === messageId
  );
}

/**
 * Follows the C2C stream that answers `messageId`, from its first frame to its last, calling
 * `onFrame` for each. Resolves with the frames seen: none when no stream started within
 * `timeout`, fewer than all when a frame did not follow within {@link FRAME_TIMEOUT_MS} or
 * `signal` aborted.
 *
 * @param emulator - the emulator the bot talks to
 * @param messageId - the message the stream answers
 * @param options - where to start and how long to wait
 * @param onFrame - called with each frame as it arrives
 */
export async function followStream(
  emulator: Emulator,
  messageId: string,
  options: WaitOptions,
  onFrame: (frame: StreamFrame) => void = () => undefined,
): Promise<StreamFrame[]> {
  const frames: StreamFrame[] = [];
  const first = await waitOrUndefined(emulator, (r) => isFirstFrameOf(r, messageId), options);
  if (!first) return frames;
  const streamId = field(first.response, 'id');
  let record: RestRecord | undefined = first;
  while (record) {
    const frame: StreamFrame = {
      number: frames.length + 1,
      text: String(field(record.body, 'content_raw') ?? ''),
      done: field(record.body, 'input_state') === STREAM_DONE,
    };
    frames.push(frame);
    onFrame(frame);
    if (frame.done) break;
    const after: number = record.index + 1;
    record = await waitOrUndefined(
      emulator,
      (r) => r.kind === 'rest' && r.route === STREAM_ROUTE && field(r.body, 'stream_msg_id') === streamId,
      { ...options, from: after, timeout: FRAME_TIMEOUT_MS },
    );
  }
  return frames;
}

/** What the bot did about a button press: its acknowledgement and its answer, when they came. */
export interface PressAnswer {
  /** The acknowledgement's code and the emulator's status, or `undefined` when none came. */
  ack: { code: unknown; status: number } | undefined;
  /** The answer quoting the press as `event_id`, or `undefined` when none came. */
  reply: { content: string; status: number } | undefined;
}

/**
 * Waits for the bot's acknowledgement of an interaction and its answer by `event_id`.
 *
 * @param emulator - the emulator the bot talks to
 * @param interactionId - the interaction's id
 * @param options - where to start and how long to wait for each
 */
export async function awaitPressAnswer(
  emulator: Emulator,
  interactionId: string,
  options: WaitOptions,
): Promise<PressAnswer> {
  const [ack, reply] = await Promise.all([
    waitOrUndefined(
      emulator,
      (r) => r.kind === 'rest' && r.method === 'PUT' && r.path === `/interactions/${interactionId}`,
      options,
    ),
    waitOrUndefined(
      emulator,
      (r) => r.kind === 'rest' && r.method === 'POST' && field(r.body, 'event_id') === interactionId,
      options,
    ),
  ]);
  return {
    ack: ack && { code: field(ack.body, 'code'), status: ack.status },
    reply: reply && { content: String(field(reply.body, 'content') ?? ''), status: reply.status },
  };
}

/** A press's answer as the console shows it. */
export function describePressAnswer(answer: PressAnswer): string[] {
  const lines: string[] = [];
  if (answer.ack)
    lines.push(`(acknowledged with code ${String(answer.ack.code)}: HTTP ${answer.ack.status})`);
  if (answer.reply)
    lines.push(
      answer.reply.status === 200
        ? answer.reply.content
        : `${answer.reply.content}   (refused: HTTP ${answer.reply.status})`,
    );
  return lines;
}

/** A frame as the console shows it: the last 70 characters of a growing text, all of the last. */
export function describeFrame(frame: StreamFrame): string {
  const shown = frame.done || frame.text.length <= 70 ? frame.text : `…${frame.text.slice(-69)}`;
  return `${shown}   (stream frame ${frame.number}${frame.done ? ', done' : ''})`;
}

async function waitOrUndefined(
  emulator: Emulator,
  predicate: (record: EmulatorRecord) => boolean,
  options: WaitOptions,
): Promise<RestRecord | undefined> {
  try {
    const isMatch = (record: EmulatorRecord): record is RestRecord =>
      record.kind === 'rest' && predicate(record);
    return await emulator.recorder.waitFor(isMatch, {
      from: options.from,
      timeout: options.timeout,
      ...(options.signal && { signal: options.signal }),
    });
  } catch (error) {
    // The recorder fails on its timeout (nothing came) or on the caller's abort.
    if (error instanceof EmulatorError || options.signal?.aborted) return undefined;
    throw error;
  }
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}
