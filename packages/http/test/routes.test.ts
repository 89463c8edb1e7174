import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '@bot/http';
import type { HttpMethod, QueryValue } from '../src/rest/RequestOptions.js';
import { compileRoute, fillRoute, routeKey, routeTarget, Routes, withQuery } from '../src/rest/routes.js';

/** The rule written the plain way: each `{name}` replaced in turn by its encoded value. */
function replaceEach(route: string, params: Readonly<Record<string, string>>): string {
  return route.replace(/\{([a-z_]+)\}/g, (_, name: string) => encodeURIComponent(params[name] as string));
}

const name = fc.stringMatching(/^[a-z_]{1,12}$/);
const literal = fc.string({ maxLength: 12 }).filter((text) => !/\{[a-z_]+\}/.test(text));
// Not `.` or `..`, which are refused (routes.dotSegments.emulator.test.ts).
const value = fc
  .string({ minLength: 1, maxLength: 16 })
  .filter((text) => text.trim() !== '' && text !== '.' && text !== '..');
const template = fc
  .array(fc.tuple(literal, name), { maxLength: 5 })
  .chain((parts) =>
    fc.tuple(
      fc.constant(parts),
      literal,
      fc.array(value, { minLength: parts.length, maxLength: parts.length }),
    ),
  );

describe('route templates', () => {
  it('fills any template like replacing each placeholder in turn by its encoded value', () => {
    fc.assert(
      fc.property(template, ([parts, tail, values]) => {
        const route = parts.map(([text, placeholder]) => `${text}{${placeholder}}`).join('') + tail;
        // First value per name; fromEntries defines own properties, even for `__proto__`.
        const firsts = new Map<string, string>();
        parts.forEach(([, placeholder], index) => {
          if (!firsts.has(placeholder)) firsts.set(placeholder, values[index] as string);
        });
        const params: Record<string, string> = Object.fromEntries(firsts);
        expect(fillRoute(route, params)).toBe(replaceEach(route, params));
      }),
    );
  });

  it('fills every template of Routes, encoding each value', () => {
    for (const route of Object.values(Routes)) {
      const params = Object.fromEntries(
        compileRoute(route).names.map((placeholder) => [placeholder, 'a b/ü']),
      );
      expect(fillRoute(route, params)).toBe(replaceEach(route, params));
    }
  });

  it('splits a template into parts once and hands the same parts back afterwards', () => {
    const first = compileRoute(Routes.reaction);
    expect(first.names).toEqual(['channel_id', 'message_id', 'type', 'id']);
    expect(first.literals).toEqual(['/channels/', '/messages/', '/reactions/', '/', '']);
    expect(compileRoute(Routes.reaction)).toBe(first);
  });

  it('fills and keys new templates beyond the number it keeps compiled', () => {
    for (let index = 0; index < 2_000; index++) {
      const route = `/r${index}/{owner_id}/x`;
      expect(fillRoute(route, { owner_id: 'o' })).toBe(`/r${index}/o/x`);
      expect(routeKey('GET', route, { owner_id: 'o' })).toBe(`GET ${route}:o`);
    }
  });

  it('refuses a missing or blank placeholder value, naming the placeholder', () => {
    expect(() => fillRoute(Routes.guildRole, { guild_id: 'g1' })).toThrow(ValidationError);
    expect(() => fillRoute(Routes.guildRole, { guild_id: 'g1', role_id: ' ' })).toThrow(/role_id/);
  });

  it('keys a route without placeholders by method and template only', () => {
    expect(routeKey('GET', Routes.me)).toBe('GET /users/@me');
  });

  describe('routeTarget', () => {
    const method = fc.constantFrom<HttpMethod>('GET', 'POST', 'PUT', 'PATCH', 'DELETE');
    const queryValue = fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.integer(),
      fc.boolean(),
      fc.constant(undefined),
    );
    const query = fc.oneof(
      fc.constant(undefined),
      fc.constant({}),
      fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.constant(undefined), { minKeys: 1 }),
      fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), queryValue),
    );
    // Routes' own templates, with and without placeholders, and fixed routes made up on the spot.
    const route = fc.oneof(
      fc.constantFrom(...Object.values(Routes)),
      fc.stringMatching(/^\/[a-z@]{1,8}(\/[a-z]{1,8}){0,2}$/),
    );

    /** What a target is, written with the helpers it must agree with. */
    function expected(
      verb: HttpMethod,
      template: string,
      params: Record<string, string>,
      entries: Readonly<Record<string, QueryValue>> | undefined,
    ) {
      return {
        path: withQuery(fillRoute(template, params), entries),
        key: routeKey(verb, template, params),
        template: `${verb} ${template}`,
      };
    }

    it('is the filled path with its query, the rate-limit key and `METHOD template`', () => {
      fc.assert(
        fc.property(method, route, query, value, (verb, template, entries, id) => {
          const params = Object.fromEntries(
            compileRoute(template).names.map((placeholder) => [placeholder, id]),
          );
          expect(routeTarget(verb, template, params, entries)).toEqual(
            expected(verb, template, params, entries),
          );
        }),
      );
    });

    it('gives a fixed route its query whichever came first, with or without one', () => {
      fc.assert(
        fc.property(
          method,
          route.filter((template) => compileRoute(template).names.length === 0),
          query,
          fc.boolean(),
          (verb, template, entries, plainFirst) => {
            const plain = () => routeTarget(verb, template);
            const queried = () => routeTarget(verb, template, {}, entries);
            const [first, second] = plainFirst ? [plain(), queried()] : [queried(), plain()];
            const [withoutQuery, withIt] = plainFirst ? [first, second] : [second, first];
            expect(withoutQuery).toEqual(expected(verb, template, {}, undefined));
            expect(withIt).toEqual(expected(verb, template, {}, entries));
            expect(plain()).toEqual(withoutQuery);
            expect(queried()).toEqual(withIt);
          },
        ),
      );
    });
  });
});
