import { ErrorCode } from '../errorCodes.js';
import { bodyObject, optionalInteger, optionalObject } from '../fields.js';
import type { RouteModule } from '../RestDeps.js';
import { RestError } from '../RestError.js';
import { noContent } from '../Router.js';

/**
 * Acknowledging an interaction (button click) with a result code 0–5 and, as the official SDK
 * may send, a `data` object, kept as received for tests to read.
 */
export const interactionRoutes: RouteModule = (router, { world }) => {
  router.add('PUT /interactions/{interaction_id}', ({ params, body: raw }) => {
    const id = params['interaction_id'] ?? '';
    const interaction = world.content.interactions.get(id);
    if (!interaction)
      throw new RestError(404, ErrorCode.InteractionParamInvalid, `unknown interaction ${id}`);
    const body = bodyObject(raw);
    const code = optionalInteger(body, 'code');
    if (code === undefined || code < 0 || code > 5)
      throw new RestError(400, ErrorCode.InteractionParamInvalid, 'field "code" must be 0 to 5');
    // What the platform does with `data` is undocumented: refuse only what is not an object.
    const data = optionalObject(body, 'data');
    interaction.ackCode = code;
    if (data === undefined) delete interaction.ackData;
    else interaction.ackData = data;
    return noContent();
  });
};
