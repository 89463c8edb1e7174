import type { IncomingMessage, ServerResponse } from 'node:http';
import { WebhookRefusedError } from './WebhookRefusedError.js';

/**
 * Writes a refusal's answer (its status, the detail as `{"error": …}`, `Allow`, `Accept-Encoding`
 * or `Retry-After` where they apply) and closes the connection once the answer is out, whatever of
 * the body is still unread; a response already begun only gets its connection closed.
 *
 * @param request - the refused request
 * @param response - its response
 * @param refusal - why
 */
export function writeRefusal(
  request: IncomingMessage,
  response: ServerResponse,
  refusal: WebhookRefusedError,
): void {
  const socket = request.socket;
  if (response.headersSent) {
    socket.destroy();
    return;
  }
  const text = JSON.stringify({ error: refusal.detail });
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    Connection: 'close',
  };
  if (refusal.code === 'methodNotAllowed') headers['Allow'] = 'POST';
  // RFC 7694: a 415 for a content coding names the codings accepted.
  if (refusal.code === 'unsupportedEncoding') headers['Accept-Encoding'] = 'identity';
  if (refusal.retryAfterSeconds !== undefined) headers['Retry-After'] = refusal.retryAfterSeconds;
  response.writeHead(refusal.status, headers);
  response.end(text, () => socket.destroy());
}
