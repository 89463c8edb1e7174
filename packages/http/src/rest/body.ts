import type { FileAttachment } from './RequestOptions.js';

/**
 * Builds a multipart/form-data body: each file as a file part, each other field as a text part,
 * objects and arrays JSON-encoded (the platform reads `embed`, `ark`, `message_reference`, … that way).
 *
 * @param fields - the message fields; `undefined` entries are left out
 * @param files - file parts keyed by form field name (`file_image`)
 */
export function toFormData(fields: unknown, files: Readonly<Record<string, FileAttachment>>): FormData {
  const form = new FormData();
  if (typeof fields === 'object' && fields !== null) {
    for (const [name, value] of Object.entries(fields)) {
      if (value === undefined || value === null) continue;
      form.append(name, typeof value === 'object' ? JSON.stringify(value) : String(value));
    }
  }
  for (const [name, file] of Object.entries(files)) {
    const type = file.contentType ?? 'application/octet-stream';
    const blob = file.data instanceof Blob ? file.data : new Blob([file.data], { type });
    form.append(name, blob, file.name);
  }
  return form;
}
