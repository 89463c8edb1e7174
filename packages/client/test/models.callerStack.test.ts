import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ApiError,
  DUPLICATE_MSG_SEQ_CODE,
  ReplyStreamError,
  type EventHandler,
  type GroupMessage,
} from '@bot/client';
import { SEED, type Emulator, type RouteFailure } from '@bot/testing';
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

/** The handler's own code: a named function that calls one method of a model. */
type UserCode = () => Promise<unknown>;

/** Runs the handler's code and keeps how it failed. */
type Run = (userCode: UserCode) => Promise<void>;

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
const general = SEED.channels.hallGeneral;

const rows: Row[] = [
  {
    method: 'Message.reply()',
    failures: fails(CHANNEL_SEND),
    simulate: guildAt,
    handler: (run) => ({
      messageCreate: (_ctx, message) =>
        run(function replyFromUserCode() {
          return message.reply('hi');
        }),
    }),
  },
  {
    method: 'DirectMessage.reply()',
    failures: fails(DM_SEND),
    simulate: (e) => e.simulate.directMessage({ content: 'hello' }),
    handler: (run) => ({
      directMessageCreate: (_ctx, message) =>
        run(function replyFromUserCode() {
          return message.reply('hi');
        }),
    }),
  },
  {
    method: 'GroupMessage.reply()',
    failures: fails(GROUP_SEND),
    simulate: groupAt,
    handler: (run) => ({
      groupMessageCreate: (_ctx, message) =>
        run(function replyFromUserCode() {
          return message.reply('hi');
        }),
    }),
  },
  {
    method: 'GroupMessage.reply() re-sent after a msg_seq collision',
    failures: collidesThenFails(GROUP_SEND),
    simulate: groupAt,
    handler: (run) => ({
      groupMessageCreate: (_ctx, message) =>
        run(function replyFromUserCode() {
          return message.reply('hi');
        }),
    }),
  },
  {
    method: 'C2CMessage.reply() re-sent after a msg_seq collision',
    failures: collidesThenFails(C2C_SEND),
    simulate: c2c,
    handler: (run) => ({
      c2cMessageCreate: (_ctx, message) =>
        run(function replyFromUserCode() {
          return message.reply('hi');
        }),
    }),
  },
  {
    method: 'GroupRobotEvent.reply() re-sent after a msg_seq collision',
    failures: collidesThenFails(GROUP_SEND),
    simulate: (e) => e.simulate.groupAddRobot({ groupOpenid: 'ABCDEF0123456789ABCDEF0123456789' }),
    handler: (run) => ({
      groupAddRobot: (_ctx, event) =>
        run(function replyFromUserCode() {
          return event.reply('hi');
        }),
    }),
  },
  {
    method: 'FriendEvent.reply()',
    failures: fails(C2C_SEND),
    simulate: (e) => e.simulate.friendAdd({ userOpenid: '0123456789ABCDEF0123456789ABCDEF' }),
    handler: (run) => ({
      friendAdd: (_ctx, event) =>
        run(function replyFromUserCode() {
          return event.reply('hi');
        }),
    }),
  },
  {
    method: 'Member.reply()',
    failures: fails(CHANNEL_SEND),
    simulate: (e) => e.simulate.memberJoin({ guildId: SEED.guilds[0], username: 'Newcomer' }),
    handler: (run) => ({
      guildMemberAdd: (_ctx, member) =>
        run(function replyFromUserCode() {
          return member.reply(general, 'hi');
        }),
    }),
  },
  {
    method: 'MessageReaction.reply()',
    failures: fails(CHANNEL_SEND),
    simulate: (e) =>
      e.simulate.reactionAdd({ messageId: e.simulate.guildMessage({ content: 'react' }).d.id }),
    handler: (run) => ({
      messageReactionAdd: (_ctx, reaction) =>
        run(function replyFromUserCode() {
          return reaction.reply('hi');
        }),
    }),
  },
  {
    method: 'Interaction.ack()',
    failures: fails(INTERACTION_ACK),
    simulate: (e) => e.simulate.interaction({ scene: 'group', buttonId: 'b1' }),
    handler: (run) => ({
      interactionCreate: (_ctx, interaction) =>
        run(function ackFromUserCode() {
          return interaction.ack();
        }),
    }),
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
    simulate: (e) => e.simulate.interaction({ scene, buttonId: 'b1' }),
    handler: (run) => ({
      interactionCreate: (_ctx, interaction) =>
        run(function replyFromUserCode() {
          return interaction.reply('hi');
        }),
    }),
  })),
  {
    method: 'Interaction.reply() re-sent after a msg_seq collision',
    failures: collidesThenFails(GROUP_SEND),
    simulate: (e) => e.simulate.interaction({ scene: 'group', buttonId: 'b1' }),
    handler: (run) => ({
      interactionCreate: (_ctx, interaction) =>
        run(function replyFromUserCode() {
          return interaction.reply('hi');
        }),
    }),
  },
  {
    method: 'GroupMessage.replyStream() (one message on end())',
    failures: fails(GROUP_SEND),
    simulate: groupAt,
    handler: (run) => ({
      groupMessageCreate: (_ctx, message) =>
        run(function streamFromUserCode() {
          const stream = message.replyStream();
          return stream.end('hi');
        }),
    }),
    failsWith: ReplyStreamError,
  },
  {
    method: 'Message.replyStream() (one message on end())',
    failures: fails(CHANNEL_SEND),
    simulate: guildAt,
    handler: (run) => ({
      messageCreate: (_ctx, message) =>
        run(function streamFromUserCode() {
          const stream = message.replyStream();
          return stream.end('hi');
        }),
    }),
    failsWith: ReplyStreamError,
  },
  {
    method: 'C2CMessage.replyStream() whose first frame fails',
    failures: fails(C2C_STREAM),
    simulate: c2c,
    handler: (run) => ({
      c2cMessageCreate: (_ctx, message) =>
        run(function streamFromUserCode() {
          const stream = message.replyStream();
          return stream.end('hi');
        }),
    }),
    failsWith: ReplyStreamError,
  },
  {
    method: 'C2CMessage.replyStream() whose first frame is re-sent after a msg_seq collision',
    failures: collidesThenFails(C2C_STREAM),
    simulate: c2c,
    handler: (run) => ({
      c2cMessageCreate: (_ctx, message) =>
        run(function streamFromUserCode() {
          const stream = message.replyStream();
          return stream.end('hi');
        }),
    }),
    failsWith: ReplyStreamError,
  },
  {
    method: 'C2CMessage.replyStreamFrom()',
    failures: fails(C2C_STREAM),
    simulate: c2c,
    handler: (run) => ({
      c2cMessageCreate: (_ctx, message) =>
        run(function streamFromUserCode() {
          return message.replyStreamFrom(['h', 'i']);
        }),
    }),
    failsWith: ReplyStreamError,
  },
  {
    method: 'GroupMessage.replyStreamFrom() (one message on end())',
    failures: fails(GROUP_SEND),
    simulate: groupAt,
    handler: (run) => ({
      groupMessageCreate: (_ctx, message: GroupMessage) =>
        run(function streamFromUserCode() {
          return message.replyStreamFrom(['h', 'i']);
        }),
    }),
    failsWith: ReplyStreamError,
  },
];

/** The last line of an error's stack: the frame a reader follows to the code that called. */
function lastFrameOf(error: unknown): string {
  const stack = (error as Error).stack ?? '';
  return stack.slice(stack.lastIndexOf('\n') + 1);
}

/** A frame of `name`, a function of this file, at a line of it. */
function frameOfThisFile(name: string): RegExp {
  const file = THIS_FILE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^\\s+at ${name} \\(${file}:\\d+:\\d+\\)$`);
}

describe('a failed request of a model method ends its stack at the code that called the method', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  it.each(rows)('$method', async ({ failures, simulate, handler, failsWith = ApiError }) => {
    let settle!: (outcome: { error: unknown; caller: string }) => void;
    const outcome = new Promise<{ error: unknown; caller: string }>((resolve) => (settle = resolve));
    const run: Run = async (userCode) => {
      let error: unknown = new Error(`${userCode.name} was expected to fail`);
      try {
        await userCode();
      } catch (failure) {
        error = failure;
      }
      settle({ error, caller: userCode.name });
    };
    harness = await startHarness([handler(run)]);
    for (const [route, failure] of failures) harness.emulator.faults.failRoute(route, failure);
    simulate(harness.emulator);
    const { error, caller } = await outcome;

    expect(error).toBeInstanceOf(failsWith);
    expect(lastFrameOf(error)).toMatch(frameOfThisFile(caller));
    if (failsWith === ReplyStreamError) {
      // The request's own error, kept as the cause, shows the same line.
      expect((error as Error).cause).toBeInstanceOf(ApiError);
      expect(lastFrameOf((error as Error).cause)).toMatch(frameOfThisFile(caller));
    }
    const refusals = harness.emulator.recorder.filter((r) => r.kind === 'rest' && r.status >= 400);
    expect(refusals).toHaveLength(failures.length);
  });
});
