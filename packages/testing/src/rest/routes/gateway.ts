import type { RouteModule } from '../RestDeps.js';
import { ok } from '../Router.js';

/** `GET /gateway` and `GET /gateway/bot`. */
export const gatewayRoutes: RouteModule = (router, deps) => {
  router.add('GET /gateway', () => ok({ url: deps.gatewayUrl() }));
  router.add('GET /gateway/bot', () => ok(deps.gatewayBot()));
};
