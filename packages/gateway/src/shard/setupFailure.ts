import { isBotError } from '@bot/core';
import type { DestroyedPart } from '@bot/http';

/** The step of an attempt's setup that failed: getting an access token, or an identify turn. */
export type SetupStep = 'accessToken' | 'identifyTurn';

/** What each {@link SetupStep} is, as errors and log lines name it. */
export const SETUP_STEP_FAILED: Readonly<Record<SetupStep, string>> = {
  accessToken: 'could not get an access token',
  identifyTurn: 'could not get an identify turn from the identify queue',
};

/** Why an attempt's setup (access token, identify turn) failed, as far as recovery cares. */
export interface SetupFailure {
  /** The credentials were refused (`kind: 'authentication'`): retrying cannot help. */
  authentication: boolean;
  /**
   * The token provider or REST client the shard shares was closed or destroyed
   * (`kind: 'clientDestroyed'`): every later call fails the same way.
   */
  destroyed?: DestroyedPart;
}

/**
 * Sorts a setup error by its `kind`, not its class, so an error that crossed from the main thread
 * to a worker shard (a `RemoteBotError` keeping `kind` and fields) is sorted the same way.
 *
 * @param error - what the token source or identify queue threw
 */
export function classifySetupFailure(error: unknown): SetupFailure {
  if (!isBotError(error)) return { authentication: false };
  if (error.kind === 'authentication') return { authentication: true };
  if (error.kind !== 'clientDestroyed') return { authentication: false };
  // `ClientDestroyedError`'s own default when the field is missing.
  const part = (error as { destroyed?: unknown }).destroyed;
  return { authentication: false, destroyed: part === 'tokenProvider' ? part : 'restClient' };
}

/** Meaning and message of the fatal stop for a closed token provider or destroyed REST client. */
export function destroyedStop(part: DestroyedPart): { meaning: string; message: string } {
  const what =
    part === 'tokenProvider'
      ? 'the access token provider it shares was closed (its signal aborted, or the RestClient that made it was destroyed)'
      : 'the REST client it shares was destroyed';
  return {
    meaning: part === 'tokenProvider' ? 'token provider closed' : 'REST client destroyed',
    message:
      `stopped: ${what}, so it can get no access token to identify or resume, and every retry ` +
      "would fail the same way. Shut the shards down (shutdownAll(), or a Client's shutdown()) " +
      'before closing or destroying it, or start them again with a new provider or RestClient; ' +
      'a session it still had stays stored, for that start to resume',
  };
}
