import { InteractionAckCode, requireInteger } from '@bot/core';
import { Routes } from '../../rest/routes.js';
import { endpoint, type RequestParts } from '../endpoint.js';

/** The outcome of an interaction, and the AppID of the bot answering it. */
export interface AcknowledgeInput {
  code: InteractionAckCode;
  appId: string;
}

/** Interaction acknowledgements. */
export const interactionEndpoints = {
  acknowledge: endpoint('PUT', Routes.interaction, { request: acknowledgement }),
};

function acknowledgement({ code, appId }: AcknowledgeInput): RequestParts {
  requireInteger(code, 'code', InteractionAckCode.Success, InteractionAckCode.AdminOnly);
  // The platform matches the callback to the bot by this header as well as the token.
  return { headers: { 'X-Callback-AppID': appId }, body: { code } };
}
