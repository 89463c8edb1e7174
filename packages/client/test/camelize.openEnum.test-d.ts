import { expectTypeOf, test } from 'vitest';
import type { AudioChannelMember, Channel, ChannelSubType, ChannelType } from '@bot/client';
import type { Camelize } from '../src/models/camelize.js';

/*
 * An open enum, `Known | (number & {})`, reads as any number while editors still offer the known
 * values: camel-casing must keep it as it is, not turn `number & {}` into an object of Number's
 * methods, so the kinds a model lets through keep their names.
 */

test('an open enum survives camel-casing, alone and as a field', () => {
  type OpenKind = ChannelType | (number & {});
  type OpenName = 'text' | 'voice' | (string & {});
  expectTypeOf<Camelize<OpenKind>>().toEqualTypeOf<OpenKind>();
  expectTypeOf<Camelize<OpenName>>().toEqualTypeOf<OpenName>();
  expectTypeOf<Camelize<{ channel_type: OpenKind; names?: OpenName[] }>>().toEqualTypeOf<{
    channelType: OpenKind;
    names?: OpenName[];
  }>();
  // Plain values and nested objects as before.
  expectTypeOf<Camelize<{ op_user_id: string; user?: { is_bot: boolean } }>>().toEqualTypeOf<{
    opUserId: string;
    user?: { isBot: boolean };
  }>();
});

test("a channel's kinds are open: the known ones by name, any other integer as well", () => {
  expectTypeOf<Channel['type']>().toEqualTypeOf<ChannelType | (number & {})>();
  expectTypeOf<Channel['subType']>().toEqualTypeOf<ChannelSubType | (number & {}) | undefined>();
  expectTypeOf(10_008).toMatchTypeOf<Channel['type']>();
  // A field the wire types as plain `number` stays `number`.
  expectTypeOf<AudioChannelMember['channelType']>().toEqualTypeOf<number>();
});
