import { ErrorCode } from '../errorCodes.js';
import { bodyObject, optionalInteger } from '../fields.js';
import type { RouteModule } from '../RestDeps.js';
import { RestError } from '../RestError.js';
import { noContent } from '../Router.js';

/** Acknowledging an interaction (button click) with a result code 0–5. */
export const interactionRoutes: RouteModule = (router, { world }) => {
  router.add('PUT /interactions/{interaction_id}', ({ params, body: raw }) => {
    const id = params['interaction_id'] ?? '';
    const interaction = world.content.interactions.get(id);
    if (!interaction)
      throw new RestError(404, ErrorCode.InteractionParamInvalid, `unknown interaction ${id}`);
    const code = optionalInteger(bodyObject(raw), 'code');
    if (code === undefined || code < 0 || code > 5)
      throw new RestError(400, ErrorCode.InteractionParamInvalid, 'field "code" must be 0 to 5');
    interaction.ackCode = code;
    return noContent();
  });
};
