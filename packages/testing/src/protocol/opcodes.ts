import { Opcode } from '@bot/core';

/**
 * The gateway and webhook opcodes (docs/protocol.md §3.2): `@bot/core`'s `Opcode`, under the
 * name this package has always exported, so the emulator and the bots it tests share one table.
 */
export const OpCode = Opcode;

export type { GatewayPayload } from '@bot/core';
