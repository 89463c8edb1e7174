import { expectTypeOf, test } from 'vitest';
import type {
  DispatchEventDeclaration,
  DispatchEventMap,
  DispatchEventMethod,
  DispatchEventName,
  IntentName,
  Message,
  MessageDelete,
  GroupMessageCreate,
  GuildEvent,
  ReadyData,
} from '../src/index.js';
import { DISPATCH_EVENTS, payload } from '../src/index.js';

test('the wire map is derived from the catalogue, one payload type per event', () => {
  expectTypeOf<keyof DispatchEventMap>().toEqualTypeOf<keyof typeof DISPATCH_EVENTS>();
  expectTypeOf<DispatchEventMap['AT_MESSAGE_CREATE']>().toEqualTypeOf<Message>();
  expectTypeOf<DispatchEventMap['PUBLIC_MESSAGE_DELETE']>().toEqualTypeOf<MessageDelete>();
  expectTypeOf<DispatchEventMap['GROUP_AT_MESSAGE_CREATE']>().toEqualTypeOf<GroupMessageCreate>();
  expectTypeOf<DispatchEventMap['READY']>().toEqualTypeOf<ReadyData>();
  expectTypeOf<DispatchEventMap['RESUMED']>().toEqualTypeOf<string>();
});

test('each entry names its method and intent as literals', () => {
  expectTypeOf<DispatchEventMethod<'AT_MESSAGE_CREATE'>>().toEqualTypeOf<'messageCreate'>();
  expectTypeOf(DISPATCH_EVENTS.C2C_MESSAGE_CREATE.intent).toEqualTypeOf<'GROUP_AND_C2C_EVENT'>();
  expectTypeOf(DISPATCH_EVENTS.READY.intent).toEqualTypeOf<null>();
  expectTypeOf<(typeof DISPATCH_EVENTS)[DispatchEventName]['intent']>().toMatchTypeOf<IntentName | null>();
  // @ts-expect-error a name the catalogue does not declare has no payload type
  expectTypeOf<DispatchEventMap['ENTER_AIO']>().toBeUnknown();
});

test('a declaration with an intent the platform does not define, or no method, fails to compile', () => {
  const typo = {
    // @ts-expect-error GUILD is not an intent (GUILDS is)
    GUILD_CREATE: { intent: 'GUILD', method: 'guildCreate', payload: payload<GuildEvent>() },
  } satisfies Record<string, DispatchEventDeclaration>;
  const noMethod = {
    // @ts-expect-error every event names its handler method
    GUILD_CREATE: { intent: 'GUILDS', payload: payload<GuildEvent>() },
  } satisfies Record<string, DispatchEventDeclaration>;
  expectTypeOf(typo).not.toBeNever();
  expectTypeOf(noMethod).not.toBeNever();
});
