/**
 * The client's stages between a parsed frame and a handler, each run over the same payloads in
 * this process, so their costs can be told apart (the ingest benchmark only sees their sum, under
 * the noise of two processes and a socket). They are the client's internals, imported from its
 * sources: no package exports them.
 */
import type { GatewayPayload } from '@bot/core';
import { DedupeWindow } from '../../packages/client/src/dispatch/DedupeWindow.js';
import { Dispatcher, type DispatcherOptions } from '../../packages/client/src/dispatch/Dispatcher.js';
import type { HandlerResult } from '../../packages/client/src/events/EventHandler.js';
import { MODEL_BUILDERS, type ModelBuilder } from '../../packages/client/src/models/eventModels.js';
import type { ModelBinding } from '../../packages/client/src/models/ModelBinding.js';
import { ReplySequencer } from '../../packages/client/src/models/ReplySequencer.js';

/**
 * Payloads handed over per turn of the event loop: about one 64 KiB socket read of the ingest mix,
 * so the turns end where a socket's would (microtasks, the arrival clock, async handlers).
 */
const PER_READ = 120;

/** One stage, run once over every payload; resolves once all of them have been through it. */
export type StageRunner = () => Promise<void>;

/** Models built here never send: they are bound to nothing. */
const binding = {
  api: {},
  replies: new ReplySequencer(),
  replyWindow: 'enforce',
  streams: {},
} as unknown as ModelBinding;

const silent = {
  trace: noop,
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  fatal: noop,
  child: () => silent,
} as unknown as DispatcherOptions['log'];

function noop(): void {}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Handlers for every event of the mix, each method `method`. */
function handlerCalling(method: () => HandlerResult): DispatcherOptions['handlers'][number] {
  return {
    messageCreate: method,
    groupMessageCreate: method,
    c2cMessageCreate: method,
    guildMemberAdd: method,
    guildMemberRemove: method,
    interactionCreate: method,
  };
}

/** A dispatcher as the client builds one: the default policy and, unless told not to, its back-pressure. */
function dispatcherFor(method: () => HandlerResult, backpressure: boolean): Dispatcher {
  return new Dispatcher({
    handlers: [handlerCalling(method)],
    rawHandlers: [],
    policy: { mode: 'concurrent', limit: 64 },
    binding,
    contextFor: () => ({}) as never,
    log: silent,
    ...(backpressure && { flow: { highWaterMark: 1000, lowWaterMark: 500, pause: noop, resume: noop } }),
  });
}

/** Hands every payload to a fresh dispatcher (a fresh duplicate filter: the ids repeat each run). */
async function throughDispatcher(
  payloads: readonly GatewayPayload[],
  method: () => HandlerResult,
  backpressure: boolean,
): Promise<void> {
  const dispatcher = dispatcherFor(method, backpressure);
  for (let start = 0; start < payloads.length; start += PER_READ) {
    const end = Math.min(payloads.length, start + PER_READ);
    for (let index = start; index < end; index++) dispatcher.deliver(0, payloads[index]!);
    await nextTurn();
  }
  await dispatcher.onIdle();
}

/** Keeps results alive, so no stage's work can be optimised away. */
export let stageSink: unknown;

/** The stages over one stream, and how many handler calls the dispatcher stages made so far. */
export interface Stages {
  /** Each stage's runner, by name. */
  runners: Record<StageName, StageRunner>;
  /** Handler calls so far: every dispatcher run adds one per payload, or the stage measured less than it says. */
  handled(): number;
}

/** The stages {@link stageRunners} builds. */
export type StageName =
  | 'parse'
  | 'dedupe'
  | 'models'
  | 'dispatch'
  | 'dispatchAgain'
  | 'dispatchWithoutBackpressure'
  | 'dispatchAsync';

/**
 * The runner of each stage over `frames` (serialised dispatches, every id distinct).
 *
 * @param frames - the ingest mix
 */
export function stageRunners(frames: readonly string[]): Stages {
  const bytes = frames.map((frame) => Buffer.from(frame));
  const payloads = frames.map((frame) => JSON.parse(frame) as GatewayPayload);
  const builders = MODEL_BUILDERS as unknown as Record<string, ModelBuilder<'AT_MESSAGE_CREATE'>>;
  let handled = 0;
  const plain = (): void => {
    handled += 1;
  };
  const awaited = async (): Promise<void> => {
    handled += 1;
  };
  const runners: Record<StageName, StageRunner> = {
    parse: async () => {
      // As the shard reads a frame: decoded, then parsed whole.
      for (const frame of bytes) stageSink = JSON.parse(frame.toString('utf8'));
    },
    dedupe: async () => {
      const window = new DedupeWindow();
      for (const payload of payloads) stageSink = window.check(payload.id);
    },
    models: async () => {
      for (const { t, d, id } of payloads) stageSink = builders[t!]!(d as never, binding, id);
    },
    dispatch: () => throughDispatcher(payloads, plain, true),
    dispatchAgain: () => throughDispatcher(payloads, plain, true),
    dispatchWithoutBackpressure: () => throughDispatcher(payloads, plain, false),
    dispatchAsync: () => throughDispatcher(payloads, awaited, true),
  };
  return { runners, handled: () => handled };
}
