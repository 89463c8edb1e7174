import { isJsonObject } from '../util/guards.js';
import type { NewRecord } from './records.js';

/** Characters of a credential a record keeps: enough to tell two tokens apart, too few to use one. */
const SHOWN_CHARACTERS = 4;

/**
 * Masks a credential for a record or a log line: `QQBot 1a2b3c4d…` becomes `QQBot 1a2b…`, a bare
 * token `1a2b…`. The scheme (`QQBot`, `Bot`) stays readable so a wrong form can still be spotted.
 */
export function maskCredential(credential: string): string {
  const space = credential.indexOf(' ');
  const scheme = space === -1 ? '' : credential.slice(0, space + 1);
  const secret = credential.slice(scheme.length);
  if (secret.length <= SHOWN_CHARACTERS) return `${scheme}…`;
  return `${scheme}${secret.slice(0, SHOWN_CHARACTERS)}…`;
}

/** Opcodes whose `d.token` carries the access token: Identify and Resume. */
const TOKEN_OPCODES = new Set([2, 6]);

/**
 * The record with every access token masked: the token in an Identify or Resume frame, in its
 * parsed `d` and in its raw text. Records are shown to people (logs, the control API), and a
 * token is as good as the secret for its lifetime.
 */
export function withoutCredentials(record: NewRecord): NewRecord {
  if (record.kind !== 'gateway' || record.op === null || !TOKEN_OPCODES.has(record.op)) return record;
  const d = record.d;
  if (!isJsonObject(d) || typeof d['token'] !== 'string') return record;
  const token = d['token'];
  const masked = maskCredential(token);
  return {
    ...record,
    d: { ...d, token: masked },
    raw: token === '' ? record.raw : record.raw.split(token).join(masked),
  };
}
