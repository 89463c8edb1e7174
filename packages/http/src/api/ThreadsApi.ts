import type { CreateThreadBody, CreateThreadResult, ThreadDetail, ThreadList } from '@bot/core';
import type { RestClient } from '../rest/RestClient.js';
import type { CallOptions } from './CallOptions.js';
import { bindEndpoints, type BoundEndpoints } from './endpoint.js';
import { threadEndpoints } from './endpoints/threads.js';

/** Threads (帖子) of forum channels: `api.threads`. */
export class ThreadsApi {
  readonly #endpoints: BoundEndpoints<typeof threadEndpoints>;

  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    this.#endpoints = bindEndpoints(rest, threadEndpoints);
  }

  /**
   * Lists a forum channel's threads (`GET /channels/{channel_id}/threads`).
   *
   * @param channelId - the forum channel
   * @param options - signal and timeout
   */
  public async list(channelId: string, options?: CallOptions): Promise<ThreadList> {
    return this.#endpoints.list({ channel_id: channelId }, options);
  }

  /**
   * Fetches a thread (`GET /channels/{channel_id}/threads/{thread_id}`).
   *
   * @param channelId - the forum channel
   * @param threadId - the thread
   * @param options - signal and timeout
   */
  public async get(channelId: string, threadId: string, options?: CallOptions): Promise<ThreadDetail> {
    return this.#endpoints.get({ channel_id: channelId, thread_id: threadId }, options);
  }

  /**
   * Publishes a thread (`PUT /channels/{channel_id}/threads`); it appears once audited.
   *
   * @param channelId - the forum channel
   * @param body - `title`, `content` and its `format`
   * @param options - signal and timeout
   */
  public async create(
    channelId: string,
    body: CreateThreadBody,
    options?: CallOptions,
  ): Promise<CreateThreadResult> {
    return this.#endpoints.create({ channel_id: channelId }, body, options);
  }

  /**
   * Deletes a thread (`DELETE /channels/{channel_id}/threads/{thread_id}`).
   *
   * @param channelId - the forum channel
   * @param threadId - the thread
   * @param options - signal and timeout
   */
  public async delete(channelId: string, threadId: string, options?: CallOptions): Promise<void> {
    await this.#endpoints.delete({ channel_id: channelId, thread_id: threadId }, options);
  }
}
