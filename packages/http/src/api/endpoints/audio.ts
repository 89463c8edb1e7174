import {
  type AudioControl,
  AudioStatus,
  requireId,
  requireObject,
  requireOneOf,
  type VoiceMember,
} from '@bot/core';
import { Routes } from '../../rest/routes.js';
import { endpoint, jsonBody } from '../endpoint.js';

const AUDIO_STATUSES = Object.values(AudioStatus);

/** Voice channel audio and microphones. */
export const audioEndpoints = {
  control: endpoint('POST', Routes.audio, { request: jsonBody(validateControl) }),
  joinMic: endpoint('PUT', Routes.mic),
  leaveMic: endpoint('DELETE', Routes.mic),
  listVoiceMembers: endpoint('GET', Routes.voiceMembers).returns<VoiceMember[]>(),
};

function validateControl(body: AudioControl): void {
  requireObject(body, 'body');
  const status = requireOneOf(body.status, 'body.status', AUDIO_STATUSES);
  if (status === AudioStatus.Start || body.audio_url !== undefined)
    requireId(body.audio_url, 'body.audio_url');
}
