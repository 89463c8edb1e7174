import { BotError } from '@bot/core';

/**
 * A `start*` call, `startWebhook`, `startFrom` or `webhookReceiver` on a client whose
 * `shutdown()` has begun: a client that is shut down does not start again, as its REST client is
 * released (and what started while the shutdown runs would outlive it). Build a new client (a
 * `ClientBuilder` builds as many as you await it). Only a shutdown that failed lets the client
 * start again. Thrown to the caller only; `error()` never receives it.
 */
export class ClientShutDownError extends BotError {
  public readonly kind = 'clientShutDown' as const;

  /**
   * @param call - the call as written, e.g. `start()`
   * @param shutdown - whether the shutdown was still running or had completed
   */
  public constructor(
    public readonly call: string,
    public readonly shutdown: 'running' | 'completed',
  ) {
    super(
      `client.${call} was called ${shutdown === 'running' ? 'while client.shutdown() runs' : 'after client.shutdown() completed'}: ` +
        'a client that is shut down does not start again (its REST client is released). Build a new ' +
        'client: await the builder again (a ClientBuilder builds as many clients as you await it), or ' +
        'Client.builder(…) anew',
    );
  }
}

declare module '@bot/core' {
  interface BotErrorKinds {
    clientShutDown: ClientShutDownError;
  }
}
