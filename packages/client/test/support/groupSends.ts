import type { Emulator } from '@bot/testing';
import { GROUP_SEND } from './mediaRoutes.js';

/** The bot's messages posted to the group, and the msg_seq and status of each send. */
export function groupSends(emulator: Emulator, groupOpenid: string): { posted: string[]; sends: unknown[] } {
  const posted = emulator.world.messages
    .inConversation('group', groupOpenid)
    .filter((message) => message.fromBot)
    .map((message) => message.content);
  const sends = emulator.recorder
    .filter((record) => record.kind === 'rest' && record.route === GROUP_SEND)
    .map((record) =>
      record.kind === 'rest' ? [(record.body as { msg_seq: number }).msg_seq, record.status] : [],
    );
  return { posted, sends };
}
