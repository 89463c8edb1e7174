import { type MarkdownParam, type MessageMarkdown, requireId, ValidationError } from '@bot/core';

/** One value, or several for a list parameter. */
export type TemplateValue = string | readonly string[];

/**
 * A markdown template message with its parameters, typed by key: each key of `values` becomes one
 * `{key, values}` entry. The platform refuses an empty value (code 50041), so each value must be
 * a non-empty string and each list non-empty.
 *
 * ```ts
 * const markdown = markdownTemplate('101993071_1658748972', { title: 'Weekly', items: ['a', 'b'] });
 * await api.groups.send(groupOpenid, OpenMessageParams.markdown(markdown).withReply(msgId));
 * ```
 *
 * @param templateId - the `custom_template_id` from the developer console
 * @param values - a value (or list of values) per template key
 * @throws {@link ValidationError} naming an empty id, key or value
 */
export function markdownTemplate<Key extends string>(
  templateId: string,
  values: { readonly [K in Key]: TemplateValue },
): MessageMarkdown {
  requireId(templateId, 'markdown.custom_template_id');
  const params: MarkdownParam[] = [];
  for (const [key, value] of Object.entries<TemplateValue>(values)) {
    const field = `markdown.params.${key}`;
    if (key.trim() === '') throw new ValidationError('markdown.params', 'must not have an empty key');
    const list = typeof value === 'string' ? [value] : [...value];
    if (list.length === 0) throw new ValidationError(field, 'must hold at least one value');
    list.forEach((item, index) => {
      if (typeof item !== 'string' || item === '')
        throw new ValidationError(
          `${field}[${index}]`,
          'must be a non-empty string (the platform refuses empty values)',
        );
    });
    params.push({ key, values: list });
  }
  return { custom_template_id: templateId, params };
}
