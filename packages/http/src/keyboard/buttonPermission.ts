import { type ButtonPermission as WireButtonPermission, ButtonPermissionType } from '@bot/core';

/**
 * Who may click a button, as the keyboard builder takes it: each factory returns the wire
 * `action.permission` object.
 *
 * ```ts
 * row.callback('Close poll', 'poll:close', { permission: ButtonPermissions.managers() });
 * ```
 */
export const ButtonPermissions = {
  /** Anyone in the conversation (the builder's default). */
  everyone: (): WireButtonPermission => ({ type: ButtonPermissionType.Everyone }),
  /** Group or guild managers only. */
  managers: (): WireButtonPermission => ({ type: ButtonPermissionType.Managers }),
  /**
   * The listed users only (openids in groups and C2C, user ids in guilds).
   *
   * @param userIds - at least one id
   */
  users: (...userIds: [string, ...string[]]): WireButtonPermission => ({
    type: ButtonPermissionType.SpecifiedUsers,
    specify_user_ids: userIds,
  }),
  /**
   * Members with one of the listed roles; guilds only.
   *
   * @param roleIds - at least one role id
   */
  roles: (...roleIds: [string, ...string[]]): WireButtonPermission => ({
    type: ButtonPermissionType.SpecifiedRoles,
    specify_role_ids: roleIds,
  }),
} as const;
