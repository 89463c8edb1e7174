/** Ids of the roles every guild has. */
export const DefaultRoleId = {
  Everyone: '1',
  Admin: '2',
  Owner: '4',
  ChannelAdmin: '5',
} as const;
/** A value of {@link DefaultRoleId}. */
export type DefaultRoleId = (typeof DefaultRoleId)[keyof typeof DefaultRoleId];

/** A role (身份组) of a guild. */
export interface Role {
  /** Role id. */
  id: string;
  /** Role name. */
  name: string;
  /** ARGB colour as a decimal number. */
  color: number;
  /** `1` when members of the role are listed separately. */
  hoist: number;
  /** Number of members. */
  number: number;
  /** Maximum number of members. */
  member_limit: number;
}

/** Result of `GET /guilds/{guild_id}/roles`. */
export interface GuildRoles {
  /** Guild id. */
  guild_id: string;
  /** The guild's roles. */
  roles: Role[];
  /** How many roles the guild may have (a decimal string). */
  role_num_limit: string;
}

/** Body of `POST /guilds/{guild_id}/roles` and `PATCH /guilds/{guild_id}/roles/{role_id}`. */
export interface RoleBody {
  /** Role name. */
  name?: string | undefined;
  /** ARGB colour as a decimal number. */
  color?: number | undefined;
  /** `1` to list members of the role separately, `0` not to. */
  hoist?: 0 | 1 | undefined;
}

/** Result of `POST /guilds/{guild_id}/roles`. */
export interface CreateRoleResult {
  /** Id of the new role. */
  role_id: string;
  /** The new role. */
  role: Role;
}

/** Result of `PATCH /guilds/{guild_id}/roles/{role_id}`. */
export interface UpdateRoleResult {
  /** Guild id. */
  guild_id: string;
  /** Role id. */
  role_id: string;
  /** The role after the change. */
  role: Role;
}

/**
 * Body of `PUT|DELETE /guilds/{guild_id}/members/{user_id}/roles/{role_id}`. The channel is
 * required for the channel-admin role ({@link DefaultRoleId.ChannelAdmin}) only.
 */
export interface MemberRoleBody {
  /** The channel the role applies to. */
  channel?: { id: string } | undefined;
}
