import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ApiError,
  DUPLICATE_MSG_SEQ_CODE,
  OneMessageSink,
  ReplyStream,
  HandlerError,
  ReplyStreamError,
  type ClientBuilder,
  type EventHandler,
} from '@bot/client';
import { SEED, type Emulator, type EmulatorRecord, type RouteFailure } from '@bot/testing';
import { startHarness, type Harness } from './support/harness.js';

// A model's method goes through its reply window, its sequence, a stream's frame loop and the API
// before the REST client sends, often in a later turn: a failure must still end its stack at the
// line of the handler's code that called the method, not at a frame of the framework.

const THIS_FILE = fileURLToPath(import.meta.url);

const GROUP_SEND = 'POST /v2/groups/{group_openid}/messages';
const C2C_SEND = 'POST /v2/users/{openid}/messages';
const CHANNEL_SEND = 'POST /channels/{channel_id}/messages';
const DM_SEND = 'POST /dms/{guild_id}/messages';
const C2C_STREAM = 'POST /v2/users/{openid}/stream_messages';
const INTERACTION_ACK = 'PUT /interactions/{interaction_id}';

/**
 * Runs the handler's own code, one call of a model's method written on the line that calls `run`,
 * and keeps how it failed.
 */
type Run = (userCode: () => Promise<unknown>) => Promise<void>;

interface Row {
  /** The public method, as the test names it. */
  method: string;
  /** Route failures armed before the event, in the order calls meet them. */
  failures: ReadonlyArray<readonly [route: string, failure: RouteFailure]>;
  /** Publishes the event whose model the handler calls. */
  simulate: (emulator: Emulator) => void;
  /** A handler that runs its code through `run`. */
  handler: (run: Run) => EventHandler;
  /** What the call fails with (an `ApiError` unless said). */
  failsWith?: typeof ApiError | typeof ReplyStreamError;
}

const fails = (route: string): Row['failures'] => [[route, { status: 400 }]];

/** A reply whose msg_seq another sender took first, then whose re-send under the next one fails. */
const collidesThenFails = (route: string): Row['failures'] => [
  [route, { status: 400, code: DUPLICATE_MSG_SEQ_CODE, message: 'msg_seq taken' }],
  [route, { status: 400 }],
];

const groupAt = (e: Emulator): unknown => e.simulate.groupAtMessage({ content: 'hello' });
const c2c = (e: Emulator): unknown => e.simulate.c2cMessage({ content: 'hello' });
const guildAt = (e: Emulator): unknown => e.simulate.guildAtMessage({ content: 'hello' });
const pressIn =
  (scene: 'group' | 'c2c' | 'guild') =>
  (e: Emulator): unknown =>
    e.simulate.interaction({ scene, buttonId: 'b1', allowUnsentButton: true });
const [guildId] = SEED.guilds;
const general = SEED.channels.hallGeneral;
const streamed = { failsWith: ReplyStreamError };

const rows: Row[] = [
  {
    method: 'Message.reply()',
    failures: fails(CHANNEL_SEND),
    simulate: guildAt,
    handler: (run) => ({ messageCreate: (_ctx, message) => run(() => message.reply('hi')) }),
  },
  {
    method: 'DirectMessage.reply()',
    failures: fails(DM_SEND),
    simulate: (e) => e.simulate.directMessage({ content: 'hello' }),
    handler: (run) => ({ directMessageCreate: (_ctx, message) => run(() => message.reply('hi')) }),
  },
  {
    method: 'GroupMessage.reply()',
    failures: fails(GROUP_SEND),
    simulate: groupAt,
    handler: (run) => ({ groupMessageCreate: (_ctx, message) => run(() => message.reply('hi')) }),
  },
  {
    method: 'GroupMessage.reply() re-sent after a msg_seq collision',
    failures: collidesThenFails(GROUP_SEND),
    simulate: groupAt,
    handler: (run) => ({ groupMessageCreate: (_ctx, message) => run(() => message.reply('hi')) }),
  },
  {
    method: 'C2CMessage.reply() re-sent after a msg_seq collision',
    failures: collidesThenFails(C2C_SEND),
    simulate: c2c,
    handler: (run) => ({ c2cMessageCreate: (_ctx, message) => run(() => message.reply('hi')) }),
  },
  {
    method: 'GroupRobotEvent.reply() re-sent after a msg_seq collision',
    failures: collidesThenFails(GROUP_SEND),
    simulate: (e) => e.simulate.groupAddRobot({ groupOpenid: 'ABCDEF0123456789ABCDEF0123456789' }),
    handler: (run) => ({ groupAddRobot: (_ctx, event) => run(() => event.reply('hi')) }),
  },
  {
    method: 'FriendEvent.reply()',
    failures: fails(C2C_SEND),
    simulate: (e) => e.simulate.friendAdd({ userOpenid: '0123456789ABCDEF0123456789ABCDEF' }),
    handler: (run) => ({ friendAdd: (_ctx, event) => run(() => event.reply('hi')) }),
  },
  {
    method: 'Member.reply()',
    failures: fails(CHANNEL_SEND),
    simulate: (e) => e.simulate.memberJoin({ guildId, username: 'Newcomer' }),
    handler: (run) => ({ guildMemberAdd: (_ctx, member) => run(() => member.reply(general, 'hi')) }),
  },
  {
    method: 'MessageReaction.reply()',
    failures: fails(CHANNEL_SEND),
    simulate: (e) =>
      e.simulate.reactionAdd({ messageId: e.simulate.guildMessage({ content: 'react' }).d.id }),
    handler: (run) => ({ messageReactionAdd: (_ctx, reaction) => run(() => reaction.reply('hi')) }),
  },
  {
    method: 'ForumThread.reply()',
    failures: fails(CHANNEL_SEND),
    simulate: (e) =>
      e.simulate.dispatch(
        'FORUM_THREAD_CREATE',
        { guild_id: guildId, channel_id: SEED.channels.hallForum, author_id: 'u7', thread_info: {} },
        { guildId },
      ),
    handler: (run) => ({ forumThreadCreate: (_ctx, thread) => run(() => thread.reply(general, 'hi')) }),
  },
  {
    method: 'Interaction.ack()',
    failures: fails(INTERACTION_ACK),
    simulate: pressIn('group'),
    handler: (run) => ({ interactionCreate: (_ctx, interaction) => run(() => interaction.ack()) }),
  },
  ...(
    [
      ['group', GROUP_SEND],
      ['c2c', C2C_SEND],
      ['guild', CHANNEL_SEND],
    ] as const
  ).map(([scene, route]): Row => ({
    method: `Interaction.reply() in a ${scene} scene`,
    failures: fails(route),
    simulate: pressIn(scene),
    handler: (run) => ({ interactionCreate: (_ctx, interaction) => run(() => interaction.reply('hi')) }),
  })),
  {
    method: 'Interaction.reply() re-sent after a msg_seq collision',
    failures: collidesThenFails(GROUP_SEND),
    simulate: pressIn('group'),
    handler: (run) => ({ interactionCreate: (_ctx, interaction) => run(() => interaction.reply('hi')) }),
  },
  {
    method: 'Message.replyStream() (one message on end())',
    failures: fails(CHANNEL_SEND),
    simulate: guildAt,
    handler: (run) => ({ messageCreate: (_ctx, message) => run(() => message.replyStream().end('hi')) }),
    ...streamed,
  },
  {
    method: 'GroupMessage.replyStream() (one message on end())',
    failures: fails(GROUP_SEND),
    simulate: groupAt,
    handler: (run) => ({ groupMessageCreate: (_ctx, message) => run(() => message.replyStream().end('hi')) }),
    ...streamed,
  },
  {
    method: 'GroupMessage.replyStreamFrom() (one message on end())',
    failures: fails(GROUP_SEND),
    simulate: groupAt,
    handler: (run) => ({
      groupMessageCreate: (_ctx, message) => run(() => message.replyStreamFrom(['h', 'i'])),
    }),
    ...streamed,
  },
  {
    method: 'new ReplyStream() over a sink of the caller',
    failures: fails(GROUP_SEND),
    simulate: groupAt,
    handler: (run) => ({
      groupMessageCreate: (_ctx, message) => {
        const sink = new OneMessageSink((text) => message.reply(text));
        return run(() => new ReplyStream(sink, message.replyWindow, 'enforce').end('hi'));
      },
    }),
    ...streamed,
  },
  {
    method: 'C2CMessage.replyStream() whose first frame fails',
    failures: fails(C2C_STREAM),
    simulate: c2c,
    handler: (run) => ({ c2cMessageCreate: (_ctx, message) => run(() => message.replyStream().end('hi')) }),
    ...streamed,
  },
  {
    method: 'C2CMessage.replyStream() whose first frame is re-sent after a msg_seq collision',
    failures: collidesThenFails(C2C_STREAM),
    simulate: c2c,
    handler: (run) => ({ c2cMessageCreate: (_ctx, message) => run(() => message.replyStream().end('hi')) }),
    ...streamed,
  },
  {
    method: 'C2CMessage.replyStreamFrom()',
    failures: fails(C2C_STREAM),
    simulate: c2c,
    handler: (run) => ({
      c2cMessageCreate: (_ctx, message) => run(() => message.replyStreamFrom(['h', 'i'])),
    }),
    ...streamed,
  },
];

/** The last line of an error's stack: the frame a reader follows to the code that called. */
function lastFrameOf(error: unknown): string {
  const stack = (error as Error).stack ?? '';
  return stack.slice(stack.lastIndexOf('\n') + 1);
}

/** The line of this file that called `below`, read from a one-frame stack trace. */
function callingLine(below: Run): number {
  const site: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 1;
  Error.captureStackTrace(site, below);
  Error.stackTraceLimit = limit;
  return Number(/:(\d+):\d+\)?$/.exec(site.stack ?? '')?.[1]);
}

/** How the handler's code failed, and the line of this file that called `run`. */
interface Outcome {
  error: unknown;
  line: number;
}

/** A {@link Run} that keeps the first outcome of the handler's code. */
function recordingRun(): { run: Run; outcome: Promise<Outcome> } {
  let settle!: (outcome: Outcome) => void;
  const outcome = new Promise<Outcome>((resolve) => (settle = resolve));
  const run: Run = async (userCode) => {
    const line = callingLine(run);
    let error: unknown = new Error('the call was expected to fail');
    try {
      await userCode();
    } catch (failure) {
      error = failure;
    }
    settle({ error, line });
  };
  return { run, outcome };
}

/** A frame of this file at `line`: the handler's own code. */
function frameAt(line: number): RegExp {
  const file = THIS_FILE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^\\s+at (?:.* \\()?${file}:${line}:\\d+\\)?$`);
}

describe('a failed request of a model method ends its stack at the code that called the method', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  it.each(rows)('$method', async ({ failures, simulate, handler, failsWith = ApiError }) => {
    const { run, outcome } = recordingRun();
    // The collision rows re-send under the next number, as a bot whose processes share messages.
    harness = await startHarness([handler(run)], (builder) => builder.replyNumbering('skipTaken'));
    for (const [route, failure] of failures) harness.emulator.faults.failRoute(route, failure);
    simulate(harness.emulator);
    const { error, line } = await outcome;

    expect(error).toBeInstanceOf(failsWith);
    expect(lastFrameOf(error)).toMatch(frameAt(line));
    if (failsWith === ReplyStreamError) {
      // The request's own error, kept as the cause, shows the same line.
      expect((error as Error).cause).toBeInstanceOf(ApiError);
      expect(lastFrameOf((error as Error).cause)).toMatch(frameAt(line));
    }
    const refusals = harness.emulator.recorder.filter((r) => r.kind === 'rest' && r.status >= 400);
    expect(refusals).toHaveLength(failures.length);
  });

  // The table arms its failures before the event; these meet a frame after the first one landed.
  it('C2CMessage.replyStream() whose later frame, re-sent under the next index after a lost answer, fails', async () => {
    const { run, outcome } = recordingRun();
    /** Lets the first frame land, then has the platform say the frame before the last landed. */
    const endAfterFirstFrame = async (stream: ReplyStream): Promise<unknown> => {
      stream.write('h');
      await vi.waitFor(() => expect(stream.index).toBe(1), { timeout: 5000 });
      harness!.emulator.faults.failRoute(C2C_STREAM, { status: 400, message: 'field "index" must be 2' });
      harness!.emulator.faults.failRoute(C2C_STREAM, { status: 400 });
      return stream.end('hi');
    };
    harness = await startHarness([
      { c2cMessageCreate: (_ctx, message) => run(() => endAfterFirstFrame(message.replyStream())) },
    ]);
    c2c(harness.emulator);
    const { error, line } = await outcome;

    expect(error).toBeInstanceOf(ReplyStreamError);
    expect(lastFrameOf(error)).toMatch(frameAt(line));
    const cause = (error as Error).cause;
    expect(cause).toBeInstanceOf(ApiError);
    expect((cause as ApiError).message).not.toMatch(/"index" must be/);
    expect(lastFrameOf(cause)).toMatch(frameAt(line));
    // The last frame was refused as expecting index 2, then re-sent under 2 and refused again (the
    // frame that then closes the failed stream is the emulator's own business).
    const refusedIndexes = harness.emulator.recorder
      .filter((r): r is Extract<EmulatorRecord, { kind: 'rest' }> => r.kind === 'rest' && r.status >= 400)
      .map((r) => (r.body as { index: number }).index);
    expect(refusedIndexes.slice(0, 2)).toEqual([1, 2]);
  });
});

// Context sends nothing itself: its `api` is the client's. A handler that returns the call without
// awaiting it is awaited by the dispatcher only, whose frames are the framework's: the failure
// shows the handler's line when the client records each call's site, and otherwise still names
// the handler and its method in the HandlerError around it.
describe("a handler that returns ctx.api's call without awaiting it", () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  /** The line of this file that holds `text`, once. */
  function lineHolding(text: string): number {
    const lines = readFileSync(THIS_FILE, 'utf8').split('\n');
    const at = lines.flatMap((line, index) => (line.includes(text) ? [index + 1] : []));
    expect(at).toHaveLength(1);
    return at[0]!;
  }

  /** Runs the handler on a failing recall and gives what the client's error() hook got. */
  async function failureOfHandler(configure?: (builder: ClientBuilder) => ClientBuilder): Promise<unknown> {
    let settle!: (error: unknown) => void;
    const failure = new Promise<unknown>((resolve) => (settle = resolve));
    const handler: EventHandler = {
      messageCreate: (ctx, message) => ctx.api.messages.recall(message.channelId, message.id), // returned
      error: (error) => settle(error),
    };
    harness = await startHarness([handler], configure);
    harness.emulator.faults.failRoute('DELETE /channels/{channel_id}/messages/{message_id}', { status: 400 });
    guildAt(harness.emulator);
    return failure;
  }

  it("ends the ApiError's stack at the handler's line with callSites()", async () => {
    const error = await failureOfHandler((builder) => builder.callSites());
    expect(error).toBeInstanceOf(HandlerError);
    const cause = (error as HandlerError).cause;
    expect(cause).toBeInstanceOf(ApiError);
    expect(lastFrameOf(cause)).toMatch(frameAt(lineHolding('message.id), ' + '// returned')));
  });

  it('names the handler and its method in the HandlerError by default', async () => {
    const error = await failureOfHandler();
    expect(error).toBeInstanceOf(HandlerError);
    expect((error as HandlerError).cause).toBeInstanceOf(ApiError);
    expect((error as HandlerError).handler).toMatch(/messageCreate/);
    expect((error as HandlerError).message).toMatch(/messageCreate.* failed on AT_MESSAGE_CREATE/);
  });
});
