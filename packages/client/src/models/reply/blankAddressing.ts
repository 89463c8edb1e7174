/**
 * The fields of a reply body the reply itself sets: which message or event it quotes, and its
 * number. A body parsed from JSON may carry one as `null` or `''` to leave it unset.
 */
export type AddressingField = 'msg_id' | 'event_id' | 'msg_seq';

/**
 * A copy of `body` without the addressing `fields` set to `null` or `''`, or `undefined` when it
 * has none: such a field names no target, so a reply treats it as unset, in every scene alike.
 *
 * @param body - a reply's wire body
 * @param fields - the addressing fields the reply sets
 */
export function withoutBlankAddressing<T extends object>(
  body: T,
  fields: readonly AddressingField[],
): T | undefined {
  const record = body as Record<string, unknown>;
  const blank = fields.filter((field) => record[field] === null || record[field] === '');
  if (blank.length === 0) return undefined;
  const copy: Record<string, unknown> = { ...record };
  for (const field of blank) delete copy[field];
  return copy as T;
}
