import { stripMarkdown } from '@bot/http';
import type { ReplyStreamOptions } from './replyStreamOptions.js';

/**
 * The text of the one message that stands in for a stream where there is no streaming (groups,
 * guilds; docs/protocol.md §15.3). That message is plain text, so a stream written as markdown
 * (`contentType` `'markdown'`, the default) loses its syntax there instead of showing `**` and `#`;
 * `'text'` is sent as written, and so is markdown that would be blank without its syntax.
 *
 * @param text - everything the stream was given
 * @param options - the stream's options
 */
export function fallbackText(text: string, options: ReplyStreamOptions | undefined): string {
  if (options?.contentType === 'text') return text;
  const plain = stripMarkdown(text);
  return plain.trim() === '' ? text : plain;
}
