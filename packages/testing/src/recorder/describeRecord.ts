import { Opcode } from '@bot/core';
import { isJsonObject } from '../util/guards.js';
import type { EmulatorRecord } from './records.js';

/** How loud a line about a record is: `debug` for keep-alive chatter, `info` for what a person follows. */
export type ActivityLevel = 'debug' | 'info';

/** One line of the emulator's activity log. */
export interface Activity {
  level: ActivityLevel;
  message: string;
}

const shardLabel = (shard: readonly [number, number] | null): string =>
  shard === null ? 'no shard yet' : `shard ${shard[0]}/${shard[1]}`;

function field(d: unknown, name: string): unknown {
  return isJsonObject(d) ? d[name] : undefined;
}

/**
 * A line saying what a record shows, for a live log of the emulator (the CLI's): connections
 * and their identifies, READY, resumes and closes, each REST call and webhook delivery at
 * `info`; heartbeats, acks, each dispatch on each connection and successful token requests at
 * `debug`. Credentials never appear.
 */
export function describeRecord(record: EmulatorRecord): Activity {
  switch (record.kind) {
    case 'open':
      return { level: 'info', message: `gateway #${record.connectionId}: connected` };
    case 'gateway': {
      const where = `gateway #${record.connectionId}`;
      if (record.op === Opcode.Identify) {
        const shard = field(record.d, 'shard');
        const intents = field(record.d, 'intents');
        const asked = Array.isArray(shard) ? `shard ${shard.join('/')}` : 'shard 0/1';
        return { level: 'info', message: `${where}: identify as ${asked}, intents ${String(intents)}` };
      }
      if (record.op === Opcode.Resume) {
        return {
          level: 'info',
          message: `${where}: resume session ${String(field(record.d, 'session_id'))} after seq ${String(field(record.d, 'seq'))}`,
        };
      }
      if (record.op === Opcode.Heartbeat) return { level: 'debug', message: `${where}: heartbeat` };
      return {
        level: 'info',
        message: `${where}: ${record.op === null ? 'invalid frame' : `op ${record.op}`} from the bot`,
      };
    }
    case 'sent': {
      const where = `gateway #${record.connectionId} (${shardLabel(record.shard)})`;
      const { op, t } = record.payload;
      if (op === Opcode.Dispatch && t === 'READY')
        return { level: 'info', message: `${where}: ready, session ${String(record.sessionId)}` };
      // The emulator logs each event once when it is published; its deliveries are detail.
      if (op === Opcode.Dispatch) return { level: 'debug', message: `${where}: event ${t ?? '?'}` };
      if (op === Opcode.Reconnect) return { level: 'info', message: `${where}: asked to reconnect (op 7)` };
      if (op === Opcode.InvalidSession)
        return {
          level: 'info',
          message: `${where}: invalid session (op 9, resumable: ${String(record.payload.d)})`,
        };
      return { level: 'debug', message: `${where}: op ${op} sent` };
    }
    case 'close':
      return {
        level: 'info',
        message: `gateway #${record.connectionId} (${shardLabel(record.shard)}): closed ${record.code} by ${record.initiator}${record.reason === '' ? '' : `: ${record.reason}`}`,
      };
    case 'rest':
      return { level: 'info', message: `REST ${record.method} ${record.path} → ${record.status}` };
    case 'token':
      return {
        level: record.status === 200 ? 'debug' : 'info',
        message: `token request (appId ${String(record.appId)}) → ${record.status}`,
      };
    case 'webhook':
      return {
        level: 'info',
        message: `webhook ${record.payload.t ?? `op ${record.payload.op}`} → ${record.url}: ${record.status ?? record.error ?? 'no answer'} (attempt ${record.attempt})`,
      };
  }
}
