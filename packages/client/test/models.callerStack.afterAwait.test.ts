import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ApiError,
  DUPLICATE_MSG_SEQ_CODE,
  ReplyStreamError,
  type C2CMessage,
  type GroupMessage,
  type Interaction,
} from '@bot/client';
import type { Emulator, RouteFailure } from '@bot/testing';
import { startHarness, type Harness } from './support/harness.js';

// models.callerStack calls each model method while the dispatch is on the stack (some 36 frames
// below the handler). A handler that awaited first calls it from a stack of two frames, its own
// and the event loop's: the failure must still end at the handler's line, found the same way.

const GROUP_SEND = 'POST /v2/groups/{group_openid}/messages';
const C2C_SEND = 'POST /v2/users/{openid}/messages';
const C2C_STREAM = 'POST /v2/users/{openid}/stream_messages';

/** The last line of an error's stack: the frame a reader follows to the code that called. */
function lastFrameOf(error: unknown): string {
  const stack = (error as Error).stack ?? '';
  return stack.slice(stack.lastIndexOf('\n') + 1);
}

/** A frame of `userCode`, a function of this file. */
const USER_FRAME = /^\s+at (?:async )?userCode \(.*models\.callerStack\.afterAwait\.test\.ts:\d+:\d+\)$/;

interface Row {
  method: string;
  failures: ReadonlyArray<readonly [route: string, failure: RouteFailure]>;
  simulate: (emulator: Emulator) => unknown;
  /** The handler's code: waits a turn of the event loop, then calls the method of the scene's model. */
  userCode: (model: never) => Promise<unknown>;
  scene: 'group' | 'c2c' | 'interaction';
  failsWith: typeof ApiError | typeof ReplyStreamError;
}

const collision: RouteFailure = { status: 400, code: DUPLICATE_MSG_SEQ_CODE, message: 'msg_seq taken' };

const rows: Row[] = [
  {
    method: 'GroupMessage.reply()',
    failures: [[GROUP_SEND, { status: 400 }]],
    simulate: (e) => e.simulate.groupAtMessage({ content: 'hello' }),
    scene: 'group',
    failsWith: ApiError,
    async userCode(message: GroupMessage) {
      await delay(1);
      return message.reply('hi');
    },
  },
  {
    method: 'C2CMessage.reply() re-sent after a msg_seq collision',
    failures: [
      [C2C_SEND, collision],
      [C2C_SEND, { status: 400 }],
    ],
    simulate: (e) => e.simulate.c2cMessage({ content: 'hello' }),
    scene: 'c2c',
    failsWith: ApiError,
    async userCode(message: C2CMessage) {
      await delay(1);
      return message.reply('hi');
    },
  },
  {
    method: 'C2CMessage.replyStream() whose first frame fails',
    failures: [[C2C_STREAM, { status: 400 }]],
    simulate: (e) => e.simulate.c2cMessage({ content: 'hello' }),
    scene: 'c2c',
    failsWith: ReplyStreamError,
    async userCode(message: C2CMessage) {
      await delay(1);
      return message.replyStream().end('hi');
    },
  },
  {
    method: 'GroupMessage.replyStreamFrom() (one message on end())',
    failures: [[GROUP_SEND, { status: 400 }]],
    simulate: (e) => e.simulate.groupAtMessage({ content: 'hello' }),
    scene: 'group',
    failsWith: ReplyStreamError,
    async userCode(message: GroupMessage) {
      await delay(1);
      return message.replyStreamFrom(['h', 'i']);
    },
  },
  {
    method: 'Interaction.ack()',
    failures: [['PUT /interactions/{interaction_id}', { status: 400 }]],
    simulate: (e) => e.simulate.interaction({ scene: 'group', buttonId: 'b1', allowUnsentButton: true }),
    scene: 'interaction',
    failsWith: ApiError,
    async userCode(interaction: Interaction) {
      await delay(1);
      return interaction.ack();
    },
  },
];

describe('a model method called after an await ends its stack at the code that called it', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  it.each(rows)('$method', async ({ failures, simulate, scene, userCode, failsWith }) => {
    let settle!: (error: unknown) => void;
    const failed = new Promise<unknown>((resolve) => (settle = resolve));
    const handle = (model: unknown): void => {
      userCode(model as never).then(() => settle(new Error('the call was expected to fail')), settle);
    };
    harness = await startHarness(
      [
        scene === 'group'
          ? { groupMessageCreate: (_ctx, message) => handle(message) }
          : scene === 'c2c'
            ? { c2cMessageCreate: (_ctx, message) => handle(message) }
            : { interactionCreate: (_ctx, interaction) => handle(interaction) },
      ],
      // The collision row re-sends under the next number, as a bot whose processes share messages.
      (builder) => builder.replyNumbering('skipTaken'),
    );
    for (const [route, failure] of failures) harness.emulator.faults.failRoute(route, failure);
    simulate(harness.emulator);
    const error = await failed;

    expect(error).toBeInstanceOf(failsWith);
    expect(lastFrameOf(error)).toMatch(USER_FRAME);
    if (failsWith === ReplyStreamError) expect(lastFrameOf((error as Error).cause)).toMatch(USER_FRAME);
  });
});
