import type { RestClient } from '../rest/RestClient.js';
import {
  type AudioControl,
  AudioStatus,
  requireId,
  requireObject,
  requireOneOf,
  type VoiceMember,
} from '@bot/core';
import { callControls, type CallOptions } from './CallOptions.js';
import { Routes } from './routes.js';

const AUDIO_STATUSES = Object.values(AudioStatus);

/** Audio playback and microphones in voice channels: `api.audio` (audio bots only). */
export class AudioApi {
  readonly #rest: RestClient;

  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    this.#rest = rest;
  }

  /**
   * Starts, pauses, resumes or stops playback (`POST /channels/{channel_id}/audio`).
   *
   * @param channelId - the voice channel
   * @param body - `status`, and `audio_url` (required to start) and `text`
   * @param options - signal and timeout
   */
  public async control(channelId: string, body: AudioControl, options?: CallOptions): Promise<void> {
    const channel = requireId(channelId, 'channelId');
    requireObject(body, 'body');
    const status = requireOneOf(body.status, 'body.status', AUDIO_STATUSES);
    if (status === AudioStatus.Start || body.audio_url !== undefined)
      requireId(body.audio_url, 'body.audio_url');
    await this.#rest.request<unknown>({
      method: 'POST',
      route: Routes.audio,
      params: { channel_id: channel },
      body,
      ...callControls(options),
    });
  }

  /**
   * Takes the microphone in a voice channel (`PUT /channels/{channel_id}/mic`).
   *
   * @param channelId - the voice channel
   * @param options - signal and timeout
   */
  public async joinMic(channelId: string, options?: CallOptions): Promise<void> {
    await this.#rest.request<unknown>({
      method: 'PUT',
      route: Routes.mic,
      params: { channel_id: requireId(channelId, 'channelId') },
      ...callControls(options),
    });
  }

  /**
   * Leaves the microphone (`DELETE /channels/{channel_id}/mic`).
   *
   * @param channelId - the voice channel
   * @param options - signal and timeout
   */
  public async leaveMic(channelId: string, options?: CallOptions): Promise<void> {
    await this.#rest.request<unknown>({
      method: 'DELETE',
      route: Routes.mic,
      params: { channel_id: requireId(channelId, 'channelId') },
      ...callControls(options),
    });
  }

  /**
   * Lists the members in a voice channel (`GET /channels/{channel_id}/voice/members`;
   * private-domain bots).
   *
   * @param channelId - the voice channel
   * @param options - signal and timeout
   */
  public async listVoiceMembers(channelId: string, options?: CallOptions): Promise<VoiceMember[]> {
    return this.#rest.request<VoiceMember[]>({
      method: 'GET',
      route: Routes.voiceMembers,
      params: { channel_id: requireId(channelId, 'channelId') },
      ...callControls(options),
    });
  }
}
