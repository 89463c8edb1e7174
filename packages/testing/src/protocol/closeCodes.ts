import { GatewayCloseCode } from '@bot/core';

/**
 * The WebSocket close codes of the gateway (docs/protocol.md §4): `@bot/core`'s
 * `GatewayCloseCode`, plus the names this package exported before it shared that table, kept so
 * tests written against them still read the same codes.
 */
export const CloseCode = {
  ...GatewayCloseCode,
  /** {@link GatewayCloseCode.InvalidSession} (4006). */
  InvalidSessionId: GatewayCloseCode.InvalidSession,
  /** {@link GatewayCloseCode.RateLimited} (4008). */
  SendingTooFast: GatewayCloseCode.RateLimited,
  /** {@link GatewayCloseCode.SessionTimedOut} (4009). */
  ConnectionExpired: GatewayCloseCode.SessionTimedOut,
  /** {@link GatewayCloseCode.InvalidIntents} (4013). */
  InvalidIntent: GatewayCloseCode.InvalidIntents,
  /** {@link GatewayCloseCode.DisallowedIntents} (4014). */
  IntentNotPermitted: GatewayCloseCode.DisallowedIntents,
} as const;

/**
 * Close codes after which the emulator forgets the session, so a later Resume gets op 9: 4001–4007,
 * 4010–4014 and the server range 4900–4915 but 4902 (reset by resume). Every other code (4008,
 * 4009, 1000–1015, custom codes) leaves the session resumable.
 */
export function closeInvalidatesSession(code: number): boolean {
  if (code >= GatewayCloseCode.InvalidOpcode && code <= GatewayCloseCode.InvalidSeq) return true;
  if (code >= GatewayCloseCode.InvalidShard && code <= GatewayCloseCode.DisallowedIntents) return true;
  return (
    code >= GatewayCloseCode.InternalErrorFirst &&
    code <= GatewayCloseCode.BotBanned &&
    code !== GatewayCloseCode.ResetByResume
  );
}
