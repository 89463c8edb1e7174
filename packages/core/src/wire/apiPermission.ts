/** An API the bot may be granted in a guild. */
export interface ApiPermission {
  /** Route template, such as `/guilds/{guild_id}/members/{user_id}`. */
  path: string;
  /** HTTP method. */
  method: string;
  /** What the API does. */
  desc: string;
  /** `1` when granted, `0` when not. */
  auth_status: number;
}

/** Result of `GET /guilds/{guild_id}/api_permission`. */
export interface ApiPermissionList {
  /** APIs and whether each is granted. */
  apis?: ApiPermission[];
}

/** Names one API in a permission demand. */
export interface ApiPermissionDemandIdentify {
  /** Route template. */
  path: string;
  /** HTTP method. */
  method: string;
}

/** Body of `POST /guilds/{guild_id}/api_permission/demand`. */
export interface ApiPermissionDemandBody {
  /** Channel the authorisation request is posted to. */
  channel_id: string;
  /** The API asked for. */
  api_identify: ApiPermissionDemandIdentify;
  /** What the bot can do once granted. */
  desc: string;
}

/** A posted API permission demand. */
export interface ApiPermissionDemand {
  /** Guild id. */
  guild_id: string;
  /** Channel id. */
  channel_id: string;
  /** The API asked for. */
  api_identify: ApiPermissionDemandIdentify;
  /** Title of the request. */
  title: string;
  /** Description of the request. */
  desc: string;
}
