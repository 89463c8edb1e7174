/**
 * Under `exactOptionalPropertyTypes` a test forwards `T | undefined` into the emulator's options;
 * every optional input option accepts an explicit `undefined`, read as the option left out.
 */
import { expectTypeOf, test } from 'vitest';
import {
  Emulator,
  type ChunkedUploadSettings,
  type RichContentGrantSet,
  type C2CMessageOptions,
  type CompletionFailure,
  type DirectMessageOptions,
  type EmulatorOptions,
  type GroupActionOptions,
  type GroupMessageOptions,
  type GuildCreateOptions,
  type GuildDeleteOptions,
  type GuildMessageOptions,
  type GuildUpdateOptions,
  type InteractionOptions,
  type MemberChangeOptions,
  type MemberUpdateOptions,
  type MessageDeleteOptions,
  type PartFailure,
  type ReactionOptions,
  type RouteFailure,
  type UserActionOptions,
  type VoiceOptions,
  type WaitOptions,
} from '@bot/testing';

/** The optional keys of `T`. */
type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];
/**
 * The optional keys of `T` that refuse an explicit `undefined` (`T[K]` reads as `| undefined` either
 * way, so the check assigns `{ K: undefined }`): `never` when there is none.
 */
type RefusingUndefined<T> = {
  [K in OptionalKeys<T>]-?: { [P in K]: undefined } extends Pick<T, K> ? never : K;
}[OptionalKeys<T>];

declare const port: number | undefined;

test('no optional input option refuses undefined', () => {
  expectTypeOf<RefusingUndefined<EmulatorOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<WaitOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<GuildCreateOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<GuildDeleteOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<GuildUpdateOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<MemberChangeOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<MemberUpdateOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<DirectMessageOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<GuildMessageOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<MessageDeleteOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<ReactionOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<C2CMessageOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<GroupActionOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<GroupMessageOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<InteractionOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<UserActionOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<VoiceOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<RouteFailure>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<CompletionFailure>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<PartFailure>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<NonNullable<EmulatorOptions['sessionStartLimit']>>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<NonNullable<EmulatorOptions['replyWindows']>>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<NonNullable<EmulatorOptions['webhook']>>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<Parameters<Emulator['uploads']['configure']>[0]>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<Parameters<Emulator['richContent']['set']>[0]>>().toEqualTypeOf<never>();
});

test('Emulator.start, uploads.configure and richContent.set take undefined values', async () => {
  const emu = await Emulator.start({ port, shards: undefined, sessionStartLimit: { total: undefined } });
  emu.uploads.configure({ blockSize: undefined } satisfies {
    [K in keyof ChunkedUploadSettings]?: number | undefined;
  });
  emu.richContent.set({ keyboards: undefined } satisfies {
    [K in keyof RichContentGrantSet]?: boolean | undefined;
  });
  await emu.stop();
});
