import type { AudioControl, VoiceMember } from '@bot/core';
import type { RestClient } from '../rest/RestClient.js';
import type { CallOptions } from './CallOptions.js';
import { bindEndpoints, type BoundEndpoints } from './endpoint.js';
import { audioEndpoints } from './endpoints/audio.js';

/** Audio playback and microphones in voice channels: `api.audio` (audio bots only). */
export class AudioApi {
  readonly #endpoints: BoundEndpoints<typeof audioEndpoints>;

  /** @param rest - the transport requests go through */
  public constructor(rest: RestClient) {
    this.#endpoints = bindEndpoints(rest, audioEndpoints);
  }

  /**
   * Starts, pauses, resumes or stops playback (`POST /channels/{channel_id}/audio`).
   *
   * @param channelId - the voice channel
   * @param body - `status`, and `audio_url` (required to start) and `text`
   * @param options - signal and timeout
   */
  public async control(channelId: string, body: AudioControl, options?: CallOptions): Promise<void> {
    await this.#endpoints.control({ channel_id: channelId }, body, options);
  }

  /**
   * Takes the microphone in a voice channel (`PUT /channels/{channel_id}/mic`).
   *
   * @param channelId - the voice channel
   * @param options - signal and timeout
   */
  public async joinMic(channelId: string, options?: CallOptions): Promise<void> {
    await this.#endpoints.joinMic({ channel_id: channelId }, options);
  }

  /**
   * Leaves the microphone (`DELETE /channels/{channel_id}/mic`).
   *
   * @param channelId - the voice channel
   * @param options - signal and timeout
   */
  public async leaveMic(channelId: string, options?: CallOptions): Promise<void> {
    await this.#endpoints.leaveMic({ channel_id: channelId }, options);
  }

  /**
   * Lists the members in a voice channel (`GET /channels/{channel_id}/voice/members`;
   * private-domain bots).
   *
   * @param channelId - the voice channel
   * @param options - signal and timeout
   */
  public async listVoiceMembers(channelId: string, options?: CallOptions): Promise<VoiceMember[]> {
    return this.#endpoints.listVoiceMembers({ channel_id: channelId }, options);
  }
}
