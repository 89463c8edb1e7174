/**
 * The client's stages between a frame and a handler, run in this process over the same frames, so
 * their costs can be told apart (the ingest benchmark only sees their sum, under the noise of two
 * processes and a socket). They are the client's internals, imported from its sources: no
 * package exports them.
 *
 * Every stage decodes and parses each frame itself, 120 frames per turn of the event loop, and
 * hands the fresh payload on at once, as a shard does: the payload is in cache and its strings
 * are new, as on a socket. A stage's own cost is its run minus the parse-only run of the same
 * round.
 */
import type { GatewayPayload } from '@bot/core';
import { resolveWaterMarks } from '../../packages/client/src/dispatch/Backpressure.js';
import { DedupeWindow } from '../../packages/client/src/dispatch/DedupeWindow.js';
import { Dispatcher, type DispatcherOptions } from '../../packages/client/src/dispatch/Dispatcher.js';
import { concurrencyOf, DEFAULT_DISPATCH_POLICY } from '../../packages/client/src/dispatch/DispatchPolicy.js';
import type { EventHandler, HandlerResult } from '../../packages/client/src/events/EventHandler.js';
import { EventPlans } from '../../packages/client/src/dispatch/EventPlans.js';
import type { ModelBinding } from '../../packages/client/src/models/ModelBinding.js';
import { ReplySequencer } from '../../packages/client/src/models/ReplySequencer.js';
import { handlerCalling } from '../ingest/contenders/handlerCalling.js';

/**
 * Frames parsed and handed on per turn of the event loop: about one 64 KiB socket read of the
 * ingest mix, so turns end where a socket's would (microtasks, the arrival clock, async handlers).
 */
const PER_READ = 120;

/** One stage, run once over every frame; resolves once all of them have been through it. */
export type StageRunner = () => Promise<void>;

/**
 * One run of two dispatchers on the same frames, turn by turn: the CPU time (µs) each spent in
 * each turn, `first[k]` and `second[k]` on the same 120 frames.
 */
export interface TurnTimes {
  first: number[];
  second: number[];
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

/** The stages over one stream, and counts that show each did the work its name says. */
export interface Stages {
  /** Each stage's runner, by name. */
  runners: Record<StageName, StageRunner>;
  /**
   * A dispatcher with back-pressure beside one without it (`withoutBackpressure`) or beside
   * another with it (`control`), taking the same frames turn by turn ({@link TurnTimes}).
   */
  turnPairs: Record<'withoutBackpressure' | 'control', () => Promise<TurnTimes>>;
  /** Work done so far: payloads parsed, ids checked, models built, handler calls. */
  counts(): { parsed: number; checked: number; modelled: number; handled: number };
}

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

/**
 * A dispatcher as a client with the default settings builds one: the default policy and, unless
 * told not to, the default back-pressure marks.
 *
 * @param handler - the one typed handler
 * @param backpressure - whether the dispatcher has its back-pressure
 */
export function dispatcherFor(handler: EventHandler, backpressure: boolean): Dispatcher {
  const marks = resolveWaterMarks({}, concurrencyOf(DEFAULT_DISPATCH_POLICY));
  return new Dispatcher({
    handlers: [handler],
    rawHandlers: [],
    policy: DEFAULT_DISPATCH_POLICY,
    binding,
    contextFor: () => ({}) as never,
    log: silent,
    ...(backpressure && { flow: { ...marks, pause: noop, resume: noop } }),
  });
}

/** Keeps results alive, so no stage's work can be optimised away. */
export let stageSink: unknown;

/** Builds the dispatcher of one run: {@link dispatcherFor}, or a test's stand-in. */
export type DispatcherFactory = (handler: EventHandler, backpressure: boolean) => Dispatcher;

/**
 * The runner of each stage over `frames` (serialised dispatches, every id distinct).
 *
 * @param frames - the ingest mix
 * @param newDispatcher - builds each dispatcher run's dispatcher
 */
export function stageRunners(
  frames: readonly string[],
  newDispatcher: DispatcherFactory = dispatcherFor,
): Stages {
  const bytes = frames.map((frame) => Buffer.from(frame));
  // Each event's builder found as the dispatcher finds it (EventPlans, by the name's length),
  // not by a property lookup with the name fresh from JSON.parse, which hashes it first: that
  // lookup alone measured about 50 ns more per event, a cost the dispatcher does not pay.
  const plans = new EventPlans([handlerCalling(() => undefined)]);
  const counts = { parsed: 0, checked: 0, modelled: 0, handled: 0 };
  const plain = (): HandlerResult => {
    counts.handled += 1;
  };
  const awaited = async (): Promise<void> => {
    counts.handled += 1;
  };

  /** Parses every frame, 120 per turn, handing each fresh payload to `use`. */
  async function overFrames(use: (payload: GatewayPayload) => void): Promise<void> {
    for (let start = 0; start < bytes.length; start += PER_READ) {
      const end = Math.min(bytes.length, start + PER_READ);
      for (let index = start; index < end; index++) {
        const payload = JSON.parse(bytes[index]!.toString('utf8')) as GatewayPayload;
        counts.parsed += 1;
        use(payload);
      }
      await nextTurn();
    }
  }

  /** Every payload through a fresh dispatcher (a fresh duplicate filter: the ids repeat each run). */
  async function throughDispatcher(method: () => HandlerResult, backpressure: boolean): Promise<void> {
    const dispatcher = newDispatcher(handlerCalling(method), backpressure);
    await overFrames((payload) => dispatcher.deliver(0, payload));
    await dispatcher.onIdle();
  }

  /**
   * Both dispatchers take each turn's frames, each parsing them afresh, one after the other, the
   * one that goes first alternating by turn; each side's CPU time is read around its own half.
   * A slow drift of the machine, and the cache the first half warms for the second, then fall on
   * both sides alike.
   */
  async function turnByTurn(secondBackpressure: boolean): Promise<TurnTimes> {
    const sides = [
      { dispatcher: newDispatcher(handlerCalling(plain), true), times: [] as number[] },
      { dispatcher: newDispatcher(handlerCalling(plain), secondBackpressure), times: [] as number[] },
    ] as const;
    for (let start = 0, turn = 0; start < bytes.length; start += PER_READ, turn++) {
      const end = Math.min(bytes.length, start + PER_READ);
      for (const side of turn % 2 === 0 ? sides : [sides[1], sides[0]]) {
        const before = process.cpuUsage();
        for (let index = start; index < end; index++) {
          const payload = JSON.parse(bytes[index]!.toString('utf8')) as GatewayPayload;
          counts.parsed += 1;
          side.dispatcher.deliver(0, payload);
        }
        await nextTurn();
        const used = process.cpuUsage(before);
        side.times.push(used.user + used.system);
      }
    }
    await Promise.all(sides.map(({ dispatcher }) => dispatcher.onIdle()));
    return { first: sides[0].times, second: sides[1].times };
  }

  const runners: Record<StageName, StageRunner> = {
    parse: () =>
      overFrames((payload) => {
        stageSink = payload;
      }),
    dedupe: () => {
      const window = new DedupeWindow();
      return overFrames((payload) => {
        counts.checked += typeof payload.id === 'string' ? 1 : 0;
        stageSink = window.check(payload.id);
      });
    },
    models: () =>
      overFrames(({ t, d, id }) => {
        const model = plans.of(t)!.toModel(d as never, binding, id);
        if (model !== undefined) counts.modelled += 1;
        stageSink = model;
      }),
    dispatch: () => throughDispatcher(plain, true),
    dispatchAgain: () => throughDispatcher(plain, true),
    dispatchWithoutBackpressure: () => throughDispatcher(plain, false),
    dispatchAsync: () => throughDispatcher(awaited, true),
  };
  const turnPairs = {
    withoutBackpressure: () => turnByTurn(false),
    control: () => turnByTurn(true),
  };
  return { runners, turnPairs, counts: () => ({ ...counts }) };
}
