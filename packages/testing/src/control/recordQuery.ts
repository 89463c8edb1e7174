import type { EmulatorRecord } from '../recorder/records.js';
import { type FieldSpec, readFields, type Fields } from './fieldSpec.js';

/** Fields a record query may constrain; all given ones must match. */
export const RECORD_QUERY = {
  kind: 'string?',
  route: 'string?',
  method: 'string?',
  path: 'string?',
  status: 'integer?',
  op: 'integer?',
  t: 'string?',
  connectionId: 'integer?',
  from: 'integer?',
  timeout: 'number?',
} as const satisfies FieldSpec;

/** A parsed record query. */
export type RecordQuery = Fields<typeof RECORD_QUERY>;

/** Reads a query from a JSON body or URL search parameters (numbers as strings there). */
export function readRecordQuery(input: unknown): RecordQuery {
  return readFields(input, RECORD_QUERY);
}

/** Converts URL search parameters to the JSON shape {@link readRecordQuery} expects. */
export function searchParamsToQuery(params: URLSearchParams): Record<string, unknown> {
  const numeric = new Set(['status', 'op', 'connectionId', 'from', 'timeout']);
  const out: Record<string, unknown> = {};
  for (const [name, value] of params)
    out[name] = numeric.has(name) && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  return out;
}

/** Whether a record satisfies every constraint of a query. */
export function recordMatches(record: EmulatorRecord, query: RecordQuery): boolean {
  if (query.kind !== undefined && record.kind !== query.kind) return false;
  if (query.from !== undefined && record.index < query.from) return false;
  if (
    query.connectionId !== undefined &&
    !('connectionId' in record && record.connectionId === query.connectionId)
  )
    return false;
  if (query.route !== undefined && !(record.kind === 'rest' && record.route === query.route)) return false;
  if (query.method !== undefined && !(record.kind === 'rest' && record.method === query.method.toUpperCase()))
    return false;
  if (query.path !== undefined && !(record.kind === 'rest' && record.path === query.path)) return false;
  if (query.status !== undefined && !('status' in record && record.status === query.status)) return false;
  if (query.op !== undefined) {
    const op = record.kind === 'gateway' ? record.op : record.kind === 'sent' ? record.payload.op : undefined;
    if (op !== query.op) return false;
  }
  if (query.t !== undefined) {
    const t = record.kind === 'sent' || record.kind === 'webhook' ? record.payload.t : undefined;
    if (t !== query.t) return false;
  }
  return true;
}
