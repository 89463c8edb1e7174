/**
 * The least a bot must do over HTTP before it can identify: fetch an access token. The bare
 * contenders do it with `node:http` (which `ws` loads anyway), so their startup pays for the one
 * request every bot makes, and for no HTTP library.
 */
import { request } from 'node:http';
import { APP_ID, SECRET } from './wiring.js';

/**
 * POSTs the bot's credentials to `tokenUrl` and resolves with the access token it answers.
 *
 * @param tokenUrl - the stream server's token endpoint
 * @throws {Error} on a status other than 200 or an answer without `access_token`
 */
export function fetchAccessToken(tokenUrl: string): Promise<string> {
  const body = JSON.stringify({ appId: APP_ID, clientSecret: SECRET });
  return new Promise((resolve, reject) => {
    const outgoing = request(
      tokenUrl,
      { method: 'POST', headers: { 'content-type': 'application/json' } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { access_token?: unknown };
          if (response.statusCode !== 200 || typeof answer.access_token !== 'string') {
            reject(new Error(`token endpoint answered ${response.statusCode}: no access_token`));
          } else {
            resolve(answer.access_token);
          }
        });
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
