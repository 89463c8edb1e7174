/**
 * Under `exactOptionalPropertyTypes` a bot forwards `T | undefined` read from its config into the
 * options, queries and request bodies it hands us; every optional field of them accepts an
 * explicit `undefined`, read as the field left out (a JSON body drops it, a query string skips it).
 */
import { expectTypeOf, test } from 'vitest';
import { sleepUnlessAborted, type SleepOptions } from '@bot/core';
import type {
  CreateChannelBody,
  CreateGuildAnnounceBody,
  CreatePanelBody,
  GuildListQuery,
  GuildMessageBody,
  MediaUploadBody,
  MemberListQuery,
  MemberRoleBody,
  MuteBody,
  OpenMessageBody,
  PanelListQuery,
  PanelTargetBody,
  ReactionUsersQuery,
  RecallQuery,
  RemoveMemberBody,
  RoleBody,
  RoleMemberListQuery,
  ScheduleBody,
  ScheduleListQuery,
  SettingGuideBody,
  UpdateChannelBody,
  UpdateChannelPermissionsBody,
} from '@bot/core/wire';

/** The optional keys of `T`. */
type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];
/**
 * The optional keys of `T` that refuse an explicit `undefined` (`T[K]` reads as `| undefined` either
 * way, so the check assigns `{ K: undefined }`): `never` when there is none.
 */
type RefusingUndefined<T> = {
  [K in OptionalKeys<T>]-?: { [P in K]: undefined } extends Pick<T, K> ? never : K;
}[OptionalKeys<T>];

test('no optional field of an input option, query or request body refuses undefined', () => {
  expectTypeOf<RefusingUndefined<SleepOptions>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<CreateGuildAnnounceBody>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<CreateChannelBody>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<UpdateChannelBody>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<GuildListQuery>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<MemberListQuery>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<RemoveMemberBody>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<RoleMemberListQuery>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<RecallQuery>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<MuteBody>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<CreatePanelBody>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<PanelListQuery>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<PanelTargetBody>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<UpdateChannelPermissionsBody>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<ReactionUsersQuery>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<MemberRoleBody>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<RoleBody>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<ScheduleBody>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<ScheduleListQuery>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<GuildMessageBody>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<MediaUploadBody>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<OpenMessageBody>>().toEqualTypeOf<never>();
  expectTypeOf<RefusingUndefined<SettingGuideBody>>().toEqualTypeOf<never>();
});

test('sleepUnlessAborted takes unref as undefined', async () => {
  await sleepUnlessAborted(1, undefined, { unref: undefined });
});

test('a message body takes its optional fields as undefined', () => {
  const body: OpenMessageBody = { msg_type: 0, content: 'hi', msg_id: undefined, msg_seq: undefined };
  expectTypeOf(body).toMatchTypeOf<OpenMessageBody>();
});
