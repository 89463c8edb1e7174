/** Bits of a channel permission set; the wire carries the set as a decimal string. */
export const ChannelPermission = {
  View: 1 << 0,
  Manage: 1 << 1,
  Speak: 1 << 2,
  Live: 1 << 3,
} as const;
/** A value of {@link ChannelPermission}. */
export type ChannelPermission = (typeof ChannelPermission)[keyof typeof ChannelPermission];

/** A member's or a role's permissions in a channel. */
export interface ChannelPermissions {
  /** Channel id. */
  channel_id: string;
  /** Present when the permissions are a member's. */
  user_id?: string;
  /** Present when the permissions are a role's. */
  role_id?: string;
  /** Permission bits as a decimal string (see {@link ChannelPermission}). */
  permissions: string;
}

/** Body of `PUT /channels/{channel_id}/members|roles/{id}/permissions`: decimal bit sets. */
export interface UpdateChannelPermissionsBody {
  /** Permissions to grant, as a decimal string. */
  add?: string | undefined;
  /** Permissions to revoke, as a decimal string. */
  remove?: string | undefined;
}
