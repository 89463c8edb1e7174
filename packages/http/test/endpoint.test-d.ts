import { describe, expectTypeOf, it } from 'vitest';
import type { RouteParams } from '../src/api/endpoint.js';
import type { Routes } from '../src/rest/routes.js';

describe('RouteParams', () => {
  it('asks for one string per placeholder of a template', () => {
    expectTypeOf<RouteParams<typeof Routes.memberRole>>().toEqualTypeOf<{
      readonly guild_id: string;
      readonly user_id: string;
      readonly role_id: string;
    }>();
  });

  it('asks for nothing on a template without placeholders', () => {
    expectTypeOf<RouteParams<typeof Routes.me>>().toEqualTypeOf<{}>();
  });

  it('takes any names when the template is not known to the compiler', () => {
    expectTypeOf<RouteParams<string>>().toEqualTypeOf<Readonly<Record<string, string>>>();
  });
});
