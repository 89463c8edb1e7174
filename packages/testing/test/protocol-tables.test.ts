/**
 * The emulator speaks the opcodes and close codes of `@bot/core`, so the bots it tests and the
 * emulator cannot disagree on a number; its older close-code names still read the same codes.
 */
import { describe, expect, it } from 'vitest';
import { GatewayCloseCode, Opcode } from '@bot/core';
import { CloseCode, OpCode } from '@bot/testing';
import { closeInvalidatesSession } from '../src/protocol/closeCodes.js';

describe('the emulator protocol tables', () => {
  it('exports core’s opcode table as OpCode, and every core close code under its core name', () => {
    expect(OpCode).toBe(Opcode);
    expect(CloseCode).toMatchObject(GatewayCloseCode);
  });

  it('keeps its earlier close-code names, each the code core names', () => {
    expect({
      InvalidSessionId: CloseCode.InvalidSessionId,
      SendingTooFast: CloseCode.SendingTooFast,
      ConnectionExpired: CloseCode.ConnectionExpired,
      InvalidIntent: CloseCode.InvalidIntent,
      IntentNotPermitted: CloseCode.IntentNotPermitted,
    }).toEqual({
      InvalidSessionId: 4006,
      SendingTooFast: 4008,
      ConnectionExpired: 4009,
      InvalidIntent: 4013,
      IntentNotPermitted: 4014,
    });
  });

  it('forgets the session after 4001–4007, 4010–4014 and 4900–4915 but 4902; not after 4008, 4009 or 1000–1015', () => {
    const forgetting = [4001, 4004, 4007, 4010, 4014, 4900, 4903, 4913, 4914, 4915];
    const keeping = [1000, 1006, 1015, 4000, 4008, 4009, 4015, 4899, 4902, 4916];
    expect(forgetting.filter((code) => !closeInvalidatesSession(code))).toEqual([]);
    expect(keeping.filter((code) => closeInvalidatesSession(code))).toEqual([]);
  });
});
