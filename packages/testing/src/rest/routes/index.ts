import type { RouteModule } from '../RestDeps.js';
import { announceRoutes } from './announces.js';
import { apiPermissionRoutes } from './apiPermissions.js';
import { audioRoutes } from './audio.js';
import { channelMessageRoutes } from './channelMessages.js';
import { channelRoutes } from './channels.js';
import { chunkedUploadRoutes } from './chunkedUploads.js';
import { directMessageRoutes } from './directMessages.js';
import { forumRoutes } from './forum.js';
import { gatewayRoutes } from './gateway.js';
import { guildRoutes } from './guilds.js';
import { interactionRoutes } from './interactions.js';
import { memberRoutes } from './members.js';
import { moderationRoutes } from './moderation.js';
import { mediaRoutes, openMessageRoutes } from './openMessages.js';
import { permissionRoutes } from './permissions.js';
import { panelRoutes } from './panels.js';
import { pinRoutes } from './pins.js';
import { reactionRoutes } from './reactions.js';
import { roleRoutes } from './roles.js';
import { scheduleRoutes } from './schedules.js';
import { streamMessageRoutes } from './streamMessages.js';
import { userRoutes } from './users.js';

/** Every REST route family of the platform. */
export const ALL_ROUTES: readonly RouteModule[] = [
  userRoutes,
  gatewayRoutes,
  guildRoutes,
  channelRoutes,
  memberRoutes,
  roleRoutes,
  permissionRoutes,
  channelMessageRoutes,
  directMessageRoutes,
  openMessageRoutes,
  mediaRoutes,
  chunkedUploadRoutes,
  streamMessageRoutes,
  moderationRoutes,
  announceRoutes,
  scheduleRoutes,
  apiPermissionRoutes,
  pinRoutes,
  reactionRoutes,
  forumRoutes,
  audioRoutes,
  interactionRoutes,
  panelRoutes,
];
