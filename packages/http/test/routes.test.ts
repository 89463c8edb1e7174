import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '@bot/http';
import { compileRoute, fillRoute, routeKey, Routes } from '../src/rest/routes.js';

/** The rule written the plain way: each `{name}` replaced in turn by its encoded value. */
function replaceEach(route: string, params: Readonly<Record<string, string>>): string {
  return route.replace(/\{([a-z_]+)\}/g, (_, name: string) => encodeURIComponent(params[name] as string));
}

const name = fc.stringMatching(/^[a-z_]{1,12}$/);
const literal = fc.string({ maxLength: 12 }).filter((text) => !/\{[a-z_]+\}/.test(text));
const value = fc.string({ minLength: 1, maxLength: 16 }).filter((text) => text.trim() !== '');
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
});
