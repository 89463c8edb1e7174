import { BotError } from '@bot/core';

/**
 * A `start*` call, `startWebhook`, `startFrom` or `webhookReceiver` on a client whose
 * `shutdown()` has completed: a client that was shut down does not start again, as its REST
 * client is released. Build a new client (a `ClientBuilder` builds as many as you await it).
 * Thrown to the caller only; `error()` never receives it.
 */
export class ClientShutDownError extends BotError {
  public readonly kind = 'clientShutDown' as const;

  /** @param call - the call as written, e.g. `start()` */
  public constructor(public readonly call: string) {
    super(
      `client.${call} was called after client.shutdown() completed: a client that was shut down does ` +
        'not start again (its REST client is released). Build a new client: await the builder again ' +
        '(a ClientBuilder builds as many clients as you await it), or Client.builder(…) anew',
    );
  }
}

declare module '@bot/core' {
  interface BotErrorKinds {
    clientShutDown: ClientShutDownError;
  }
}
