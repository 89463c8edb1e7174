import type { Thread } from '../../state/GuildContentStore.js';
import { isoTimestamp } from '../../util/time.js';
import { ErrorCode } from '../errorCodes.js';
import { bodyObject, optionalInteger, requiredString } from '../fields.js';
import { requireChannel } from '../lookups.js';
import type { RouteModule } from '../RestDeps.js';
import { RestError } from '../RestError.js';
import { noContent, ok } from '../Router.js';

/** Forum channel type. */
const FORUM_CHANNEL = 10007;
/** Thread formats: text, HTML, Markdown, JSON. */
const FORMATS: ReadonlySet<number> = new Set([1, 2, 3, 4]);

/** Forum threads (帖子). */
export const forumRoutes: RouteModule = (router, { world, ids }) => {
  const forum = (channelId: string): { id: string; guild_id: string } => {
    const channel = requireChannel(world, channelId);
    if (channel.type !== FORUM_CHANNEL)
      throw new RestError(400, ErrorCode.RequestInvalid, `channel ${channelId} is not a forum channel`);
    return channel;
  };

  router.add('GET /channels/{channel_id}/threads', ({ params }) => {
    const channel = forum(params['channel_id'] ?? '');
    return ok({ threads: [...world.content.threadsOf(channel.id).values()], is_finish: 1 });
  });

  router.add('PUT /channels/{channel_id}/threads', ({ params, body: raw }) => {
    const channel = forum(params['channel_id'] ?? '');
    const body = bodyObject(raw);
    const title = requiredString(body, 'title');
    const content = requiredString(body, 'content');
    const format = optionalInteger(body, 'format') ?? 1;
    if (!FORMATS.has(format))
      throw new RestError(
        400,
        ErrorCode.RequestInvalid,
        'field "format" must be 1 (text), 2 (html), 3 (markdown) or 4 (json)',
      );
    const now = Date.now();
    const thread: Thread = {
      guild_id: channel.guild_id,
      channel_id: channel.id,
      author_id: world.bot.id,
      thread_info: { thread_id: ids.opaque(12), title, content, date_time: isoTimestamp(now) },
    };
    world.content.threadsOf(channel.id).set(thread.thread_info.thread_id, thread);
    return ok({ task_id: ids.snowflake(), create_time: String(Math.floor(now / 1000)) });
  });

  router.add('GET /channels/{channel_id}/threads/{thread_id}', ({ params }) => {
    const channel = forum(params['channel_id'] ?? '');
    const thread = world.content.threadsOf(channel.id).get(params['thread_id'] ?? '');
    if (!thread)
      throw new RestError(404, ErrorCode.ThreadNotFound, `unknown thread ${params['thread_id'] ?? ''}`);
    return ok({ thread });
  });

  router.add('DELETE /channels/{channel_id}/threads/{thread_id}', ({ params }) => {
    const channel = forum(params['channel_id'] ?? '');
    const threadId = params['thread_id'] ?? '';
    if (!world.content.threadsOf(channel.id).delete(threadId))
      throw new RestError(404, ErrorCode.ThreadNotFound, `unknown thread ${threadId}`);
    return noContent();
  });
};
