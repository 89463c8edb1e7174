/**
 * WebSocket close codes the emulated gateway uses (docs/protocol.md §4), with the reason text it sends.
 */
export const CloseCode = {
  InvalidOpcode: 4001,
  InvalidPayload: 4002,
  NotAuthenticated: 4003,
  AuthenticationFailed: 4004,
  AlreadyAuthenticated: 4005,
  InvalidSessionId: 4006,
  InvalidSeq: 4007,
  SendingTooFast: 4008,
  ConnectionExpired: 4009,
  InvalidShard: 4010,
  ShardingRequired: 4011,
  InvalidVersion: 4012,
  InvalidIntent: 4013,
  IntentNotPermitted: 4014,
  ResetByResume: 4902,
  CreateSessionError: 4903,
  BotDelisted: 4914,
  BotBanned: 4915,
} as const;

/**
 * Close codes after which the emulator forgets the session, so a later Resume gets op 9.
 * Every other code (4008, 4009, 1000–1015, custom codes) leaves the session resumable.
 */
export function closeInvalidatesSession(code: number): boolean {
  if (code >= 4001 && code <= 4007) return true;
  if (code >= 4010 && code <= 4014) return true;
  return code >= 4900 && code <= 4915 && code !== CloseCode.ResetByResume;
}
