import { ValidationError } from '@bot/core';
import type { CloseAction, CloseCodeRule, GatewayProtocol } from '../protocol/GatewayProtocol.js';

/** Close code for closes that keep the session resumable (1000 would let the server drop it). */
export const RESUMABLE_CLOSE_CODE = 4000;

const ACTIONS: ReadonlySet<string> = new Set<CloseAction>([
  'resume',
  'identify',
  'reauthenticate',
  'resumeAfterSendWindow',
  'fatal',
]);

/**
 * Builds the close-code lookup a shard uses: the protocol's table with the user's overrides on
 * top, and the protocol's fallback for codes nobody listed.
 *
 * @param protocol - supplies the default table and fallback
 * @param overrides - code → action, replacing the default for those codes
 * @throws {@link ValidationError} for a code that is not an integer or an unknown action
 */
export function closeRuleLookup(
  protocol: GatewayProtocol,
  overrides: Readonly<Record<number, CloseAction>> = {},
): (code: number) => CloseCodeRule {
  const merged = new Map(protocol.closeCodes);
  for (const [key, action] of Object.entries(overrides)) {
    const code = Number(key);
    if (!Number.isInteger(code))
      throw new ValidationError(`closeCodes.${key}`, 'must be an integer close code');
    if (!ACTIONS.has(action)) {
      throw new ValidationError(
        `closeCodes.${key}`,
        `must be one of ${[...ACTIONS].join(', ')} (got ${String(action)})`,
      );
    }
    merged.set(code, {
      action,
      meaning: protocol.closeCodes.get(code)?.meaning ?? 'user-defined close code',
    });
  }
  const fallback: CloseCodeRule = { action: protocol.fallbackCloseAction, meaning: 'unlisted close code' };
  return (code) => merged.get(code) ?? fallback;
}
