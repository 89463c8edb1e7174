import type { ReconnectPlanner } from '../../src/shard/ReconnectPlanner.js';
import type { FakeConnection, FakeGateway } from './FakeGateway.js';
import { identifiedAndReady, invalidatedSession } from './planner.js';

const DAY_MS = 86_400_000;

/**
 * Session starts of one shard of `shardCount` in a day in which op 9 ends every session a second
 * after its READY, as `planner` paces the identifies.
 *
 * @param planner - the planner of the shard, told the bot's budget or not
 * @param shardCount - the bot's shard count, which the pause after op 9 grows with
 */
export function startsInADay(planner: ReconnectPlanner, shardCount: number): number {
  let now = 0;
  let starts = 0;
  while (now < DAY_MS) {
    starts++;
    planner.ready(now);
    now += 1_000;
    planner.ended(invalidatedSession, now);
    const plan = planner.plan(invalidatedSession, identifiedAndReady, false, 0, shardCount);
    if (plan.action !== 'reconnect') throw new Error(`planned ${plan.action}`);
    now += planner.delayFor(plan);
  }
  return starts;
}

/**
 * Makes `gateway` end every session with op 9 (not resumable) a second after its Identify.
 *
 * @param gateway - the fake gateway of the test
 */
export function endEverySession(gateway: FakeGateway): void {
  gateway.on('frame', (frame: { op: number; connection: FakeConnection }) => {
    if (frame.op === 2) setTimeout(() => frame.connection.send({ op: 9, d: false }), 1_000);
  });
}
