import { BotError } from '@bot/core';
import type { HttpMethod } from '../rest/RequestOptions.js';

/**
 * The request was cut short, or refused before it started, because its `RestClient` was destroyed
 * (`RestClient.destroy()`, which a client's `shutdown()` calls last). Nothing failed on the
 * network: whether the platform received a request that was already on the wire is unknown.
 * Requests made after a shutdown need a new client; work that must finish belongs before it, or
 * within the shutdown deadline.
 */
export class ClientDestroyedError extends BotError {
  public readonly kind = 'clientDestroyed' as const;

  /**
   * @param method - HTTP method of the request
   * @param route - route template of the request
   */
  public constructor(
    public readonly method: HttpMethod,
    public readonly route: string,
  ) {
    super(
      `${method} ${route} was not completed: its REST client was destroyed (the client shut down); ` +
        'make requests before shutdown() or within its deadline, or use a new client',
    );
  }
}

declare module '@bot/core' {
  interface BotErrorKinds {
    clientDestroyed: ClientDestroyedError;
  }
}
