import { qqProtocol } from '@bot/gateway';
import { closeRuleLookup } from '../../src/shard/closePolicy.js';
import { ReconnectPlanner } from '../../src/shard/ReconnectPlanner.js';
import type { AttemptFacts } from '../../src/shard/recovery.js';

/** The `stableAfterMs` of {@link qqPlanner}: a connection ready this long counts as stable. */
export const STABLE_AFTER_MS = 60_000;

/** A reconnect planner with the QQ close rules, two auth failures allowed, stable after 60 s. */
export function qqPlanner(): ReconnectPlanner {
  return new ReconnectPlanner({
    backoff: { stableAfterMs: STABLE_AFTER_MS },
    ruleFor: closeRuleLookup(qqProtocol),
    maxAuthFailures: 2,
  });
}

/** An attempt that identified and reached READY. */
export const identifiedAndReady: AttemptFacts = {
  mode: 'identify',
  resumeSent: false,
  identifySent: true,
  reachedReady: true,
};

/** A session ended by op 9 that may not be resumed (`d: false`). */
export const invalidatedSession = { reason: 'invalidSession', resumable: false } as const;
