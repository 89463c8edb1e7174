import { GatewayCloseCode, messageOf } from '@bot/core';
import { FrameTooLargeError } from '../errors/FrameTooLargeError.js';
import { GatewayError } from '../errors/GatewayError.js';
import type { CloseCodeRule } from '../protocol/GatewayProtocol.js';
import type { ConnectionEnd } from './ConnectionHandlers.js';
import { RESUMABLE_CLOSE_CODE } from './closePolicy.js';
import { destroyedStop, SETUP_STEP_FAILED, type SetupFailure, type SetupStep } from './setupFailure.js';

/** How one connection attempt ended, from the shard's point of view. */
export type AttemptEnd =
  | ConnectionEnd
  | { reason: 'reconnectRequested' }
  | { reason: 'invalidSession'; resumable: boolean }
  | ({ reason: 'setupFailed'; error: unknown; step: SetupStep } & SetupFailure)
  /** READY named no session: the Identify spent a session start and started nothing. */
  | { reason: 'readyWithoutSession' }
  /** READY named another shard than the one identified; `detail` says which. */
  | { reason: 'wrongShard'; detail: string }
  /**
   * The Identify or Resume (`frame`) went unanswered for `afterMs` (`timeouts.sessionAnswerMs`),
   * the connection still open.
   */
  | { reason: 'sessionUnanswered'; frame: 'identify' | 'resume'; afterMs: number }
  /**
   * A frame larger than `maxPayload` (bytes) arrived: the WebSocket closed the connection (1009)
   * without reading it, and the platform sends it again on a resume.
   */
  | { reason: 'frameTooLarge'; maxPayload: number }
  | { reason: 'restart' }
  | { reason: 'stopped' };

/** What the attempt had done when it ended. */
export interface AttemptFacts {
  /** Whether it set out to resume or to identify. */
  mode: 'resume' | 'identify';
  /** A Resume frame went out. */
  resumeSent: boolean;
  /** An Identify frame went out. */
  identifySent: boolean;
  /** READY or RESUMED arrived. */
  reachedReady: boolean;
  /**
   * Events after the Resume's seq arrived before the attempt ended: the platform accepted the
   * resume and was replaying (unset: none did).
   */
  resumeProgressed?: boolean;
}

/**
 * Identifies answered with op 9 in a row after which the shard gives up: one retry, since a
 * refusal repeated is the platform refusing the intents, and each try spends a session start.
 * Identifies answered with a READY that names no session count towards the same limit.
 */
export const MAX_IDENTIFY_REFUSALS = 2;

/**
 * Identifies in a row closed for the identify window (4008 before READY) after which the shard
 * gives up: the queue keeps a window shorter than the platform's, and every retry spends a
 * session start. Each retry comes a queue window after the refused frame, so a queue window down
 * to a fifth of the platform's still gets through; a shard refused this often never will.
 */
export const MAX_IDENTIFY_WINDOW_REFUSALS = 5;

/**
 * Resumes with a freshly refreshed token the shard tries after 4004 while it holds a session, per
 * READY or RESUMED: one. The platform refuses a revoked token, not the session; a resume with a
 * new token keeps the session and what it holds for the shard (an identify drops both and spends a
 * session start). One refused again (4004, op 9) identifies, so a platform that refuses every
 * resume costs one connection more, not a loop.
 */
export const MAX_REFRESHED_RESUMES = 1;

/**
 * Resumes in a row that went unanswered after which the shard identifies: one retry, since a
 * platform that answers neither is unlikely to answer a third, and identifying starts afresh.
 */
export const MAX_UNANSWERED_RESUMES = 2;

/**
 * Sessions in a row that op 9 (`d: false`) ended soon after READY or RESUMED, with no stable
 * connection in between (one that stayed ready for `backoff.stableAfterMs`), from which the shard
 * waits {@link invalidatedSessionPauseMs} before each identify. The platform sends op 9 when it
 * no longer takes a session; each new session spends a start of the daily budget (docs/protocol.md
 * §3.8, §3.9), so a shard must not keep identifying at the back-off's pace (~1,440 a day). Nor does
 * it stop: a platform incident of a few minutes ended five sessions in 23 s, and a shard stopped
 * for good (the client's default `onFatal` stops them all) stays down long after the platform is
 * back. The first four are retried at the back-off's pace, past the blip of an incident.
 */
export const INVALIDATED_SESSIONS_BEFORE_PAUSE = 5;

/**
 * The shortest wait before each identify once {@link INVALIDATED_SESSIONS_BEFORE_PAUSE} sessions
 * in a row ended with op 9, the wait of a bot of up to three shards: a shard is back within ten
 * minutes of an incident's end. Fixed, not growing with the incident, so that time stays bounded
 * however long it lasts. See {@link invalidatedSessionPauseMs} for larger bots.
 */
export const INVALIDATED_SESSION_PAUSE_MS = 10 * 60_000;

/**
 * The daily session start budget (`session_start_limit.total`, docs/protocol.md §5.2) a shard
 * assumes when it is not told the bot's own: the platform's usual 1,000. A `ShardManager` tells its
 * shards the total `/gateway/bot` answered (the `sessionStartTotal` shard option).
 */
export const DEFAULT_SESSION_START_TOTAL = 1_000;

/**
 * Session starts a day the whole bot may spend identifying through the pauses of a lasting op 9
 * incident, as a share of its daily budget: half, leaving the other half for the identifies
 * before the pause and for restarts. Spending it all would leave the identify queue holding every
 * shard until the budget resets, hours after the incident ended.
 */
export const INVALIDATED_SESSION_SHARE_OF_BUDGET = 0.5;

/**
 * Session starts a day the whole bot may spend through the pauses of a lasting op 9 incident with
 * the usual budget ({@link DEFAULT_SESSION_START_TOTAL} × {@link INVALIDATED_SESSION_SHARE_OF_BUDGET}).
 */
export const INVALIDATED_SESSION_STARTS_PER_DAY =
  DEFAULT_SESSION_START_TOTAL * INVALIDATED_SESSION_SHARE_OF_BUDGET;

const DAY_MS = 24 * 60 * 60_000;

/**
 * The wait before each identify of a shard of `shardCount` once
 * {@link INVALIDATED_SESSIONS_BEFORE_PAUSE} sessions in a row ended with op 9:
 * `max(10 min, shardCount × 24 h / (sessionStartTotal / 2))`. Each shard pauses on its own, so
 * the bot spends `shardCount × 24 h / pause` starts a day: at most half its daily budget
 * ({@link INVALIDATED_SESSION_SHARE_OF_BUDGET}) above the floor. With the usual 1,000: 144 a shard
 * at the 10-minute floor, 432 for three shards; twenty shards wait 57.6 minutes, 25 starts a day
 * each (with a budget of 5,000 they wait 11.5 minutes). With ten minutes for every shard, seven
 * shards spent over 1,000 a day and twenty 2,960. The price is the time to come back after the
 * incident: up to the pause, or at once on `restart()`. At most a day: a shard down for days after
 * a short incident costs more than one start a day, and a bot with more shards than half its
 * budget spends more on its quick identifies alone.
 *
 * @param shardCount - the shard count the shard identifies with
 * @param sessionStartTotal - the bot's daily session start budget ({@link DEFAULT_SESSION_START_TOTAL} by default)
 */
export function invalidatedSessionPauseMs(
  shardCount: number,
  sessionStartTotal = DEFAULT_SESSION_START_TOTAL,
): number {
  const perDay = sessionStartTotal * INVALIDATED_SESSION_SHARE_OF_BUDGET;
  const scaled = (shardCount * DAY_MS) / perDay;
  return Math.min(DAY_MS, Math.max(INVALIDATED_SESSION_PAUSE_MS, scaled));
}

/**
 * Connections in a row ended by a frame larger than `maxPayload`, with no stable connection
 * between them, after which the shard gives up. The platform replays the frame on a resume, so
 * the first is resumed (one large event may be all there is), the second identified (a new
 * session starts past the frame: it and the rest of the replay are lost, one session start is
 * spent), and a third means the platform sends frames this large as a rule: only a larger
 * `maxPayload` helps, and each further identify would spend a session start to lose more events.
 */
export const MAX_OVERSIZED_FRAMES = 3;

/**
 * Why a session ended without a resume, as the planner saw it: a `close` event with
 * `next: 'identify'` carries it as `ending`, beside the close `code`, so a reader can tell the
 * cases apart without parsing the reason text.
 *
 * - `closed`: a close code whose rule identifies (the code says which: 4006, 4902, …)
 * - `tokenRefused`: the access token was refused (4004), a freshly fetched one too
 * - `invalidSession`: op 9 answered a resume, the platform no longer had the session
 * - `invalidSessionSoon`: op 9 ended the session soon after it started
 * - `refreshedResumeInvalidated`: op 9 answered the resume sent with a fresh token after 4004
 * - `resumeUnanswered`: as many resumes in a row as the planner allows went unanswered
 * - `resumeFailed`: the connection ended before the resume was answered
 * - `oversizedFrame`: frames larger than `maxPayload` ended connections in a row
 * - `other`: anything else (a setup step failed, …)
 */
export type SessionEnding =
  | 'closed'
  | 'tokenRefused'
  | 'invalidSession'
  | 'invalidSessionSoon'
  | 'refreshedResumeInvalidated'
  | 'resumeUnanswered'
  | 'resumeFailed'
  | 'oversizedFrame'
  | 'other';

/** Everything {@link planRecovery} weighs. */
export interface RecoveryInput {
  end: Exclude<AttemptEnd, { reason: 'stopped' }>;
  attempt: AttemptFacts;
  /** A session id is known. */
  hasSession: boolean;
  /** Close-code rule lookup, overrides applied. */
  ruleFor: (code: number) => CloseCodeRule;
  /** The shard count the shard identifies with (1 when not given); sets the op 9 pause. */
  shardCount?: number;
  /**
   * The bot's daily session start budget ({@link DEFAULT_SESSION_START_TOTAL} when not given);
   * sets the op 9 pause.
   */
  sessionStartTotal?: number;
  /**
   * Authentication failures (4004) in a row before this one, not counting those answered with a
   * resume with a fresh token ({@link MAX_REFRESHED_RESUMES}).
   */
  authFailures: number;
  /** Resumes with a fresh token since the last READY or RESUMED, before this one. */
  refreshedResumes?: number;
  /** Authentication failures in a row that make the shard give up. */
  maxAuthFailures: number;
  /** Identifies that started no session (op 9, or a READY without a session id) since the last READY, before this one. */
  identifyRefusals: number;
  /** Identifies closed for the identify window (4008) since the last READY, before this one. */
  identifyWindowRefusals?: number;
  /** Resumes that went unanswered since the last READY or RESUMED, before this one. */
  unansweredResumes?: number;
  /**
   * Sessions op 9 ended soon after READY or RESUMED, in a row with no stable connection in
   * between, before this one (see {@link INVALIDATED_SESSIONS_BEFORE_PAUSE}).
   */
  invalidatedSessions?: number;
  /**
   * Connections ended by a frame larger than `maxPayload`, in a row with no stable connection in
   * between, before this one (see {@link MAX_OVERSIZED_FRAMES}).
   */
  oversizedFrames?: number;
  /** The attempt's connection stayed ready for `backoff.stableAfterMs` before it ended. */
  connectionProven?: boolean;
  /**
   * The attempt's connection reached READY or RESUMED, had a scheduled heartbeat (not one the
   * server asked for with op 1) acknowledged after it and stayed ready for the back-off's base: it
   * worked, whoever ended it (see {@link planRecovery}).
   */
  connectionHealthy?: boolean;
  /** Milliseconds until the outbound send window resets. */
  sendWindowResetMs: number;
}

/** The decision: reconnect (how, and no sooner than when) or give up. */
export type Recovery =
  | {
      action: 'reconnect';
      mode: 'resume' | 'identify';
      /** Lower bound of the wait; the back-off may make it longer. */
      minDelayMs: number;
      /** Forget the stored session. */
      dropSession: boolean;
      /** Tell the token source the last token was refused. */
      refreshToken: boolean;
      /**
       * This is the resume with a fresh token after 4004 ({@link MAX_REFRESHED_RESUMES}): not
       * counted as an authentication failure, and not turned into an identify for the resume the
       * 4004 refused.
       */
      refreshedResume?: boolean;
      /**
       * The attempt counter starts over: the user asked for this reconnect, or the platform ended
       * a healthy connection in the ordinary way (see {@link planRecovery}).
       */
      resetBackoff: boolean;
      /** This attempt's Identify started no session (op 9, or a READY without a session id). */
      identifyRefused: boolean;
      /** The platform closed this attempt's Identify for the identify window (4008). */
      identifyWindowRefused?: boolean;
      /** This attempt's Resume went unanswered, and is tried again. */
      resumeUnanswered?: boolean;
      /** Op 9 ended this attempt's session soon after it started. */
      sessionInvalidated?: boolean;
      /**
       * The wait is a long pause before the next Identify, not a back-off: the shard shows it in
       * its status (see `ShardStatus.identifyPause`).
       */
      identifyPause?: { reason: 'invalidatedSessions'; sessions: number };
      /** A frame larger than `maxPayload` ended this attempt. */
      oversizedFrame?: boolean;
      /**
       * A problem the shard reports (an `error` event) before reconnecting, beyond the close
       * event and the log line every reconnect gets; built for the shard's id.
       */
      report?: (shardId: number) => GatewayError;
      why: string;
      /** Why the session ended, when this identifies (see {@link SessionEnding}); `other` if unset. */
      ending?: SessionEnding;
    }
  | {
      action: 'fatal';
      code: number;
      meaning: string;
      cause?: unknown;
      /** Identify was refused with op 9 this many times in a row (the likely cause: intents). */
      identifyRefusals?: number;
      /** The whole error message, when no close frame ended the shard. */
      message?: string;
      /** The session is not at fault: keep it stored, so a later start resumes it. */
      keepSession?: boolean;
    };

/** Random wait after Invalid Session, as the platform asks: 1–5 s. */
export function invalidSessionDelay(): number {
  return 1_000 + Math.floor(Math.random() * 4_000);
}

function reconnect(
  mode: 'resume' | 'identify',
  why: string,
  extra: Partial<Recovery & { action: 'reconnect' }> = {},
): Recovery {
  return {
    action: 'reconnect',
    mode,
    minDelayMs: 0,
    dropSession: mode === 'identify',
    refreshToken: false,
    resetBackoff: false,
    identifyRefused: false,
    why,
    ...extra,
  };
}

/**
 * Op 9 (`d: false`) after this attempt's READY or RESUMED: identify again, reported; from
 * {@link INVALIDATED_SESSIONS_BEFORE_PAUSE} in a row on, only after
 * {@link invalidatedSessionPauseMs}. Never fatal: the platform may take sessions again later.
 */
function planInvalidatedSession(input: RecoveryInput): Recovery {
  const count = (input.invalidatedSessions ?? 0) + 1;
  const why = `invalid session (op 9) soon after the session started, ${count} in a row`;
  const pauseMs = invalidatedSessionPauseMs(input.shardCount ?? 1, input.sessionStartTotal);
  const minutes = Math.round(pauseMs / 60_000);
  if (count >= INVALIDATED_SESSIONS_BEFORE_PAUSE) {
    return reconnect('identify', why, {
      ending: 'invalidSessionSoon',
      // The 1–5 s on top keeps shards of one incident from identifying in lockstep.
      minDelayMs: pauseMs + invalidSessionDelay(),
      sessionInvalidated: true,
      identifyPause: { reason: 'invalidatedSessions', sessions: count },
      report: (shardId) =>
        new GatewayError(
          `${why}, with no stable connection between them: the platform is not keeping this bot's sessions (an incident, or the bot's standing or intents). Each new session spends a session start, so the shard now identifies again in ${minutes} minutes, and every ${minutes} minutes until a session lasts (its share of the daily budget); check the platform's status and the bot's standing, and once the platform has recovered call restart() to try sooner (a restart on every such report would spend a start each time)`,
          shardId,
        ),
    });
  }
  return reconnect('identify', why, {
    ending: 'invalidSessionSoon',
    minDelayMs: invalidSessionDelay(),
    sessionInvalidated: true,
    report: (shardId) =>
      new GatewayError(
        `${why} (from ${INVALIDATED_SESSIONS_BEFORE_PAUSE} in a row the shard identifies every ${minutes} minutes: each new session spends a session start); identifying again`,
        shardId,
      ),
  });
}

/**
 * A frame larger than `maxPayload` ended the attempt: resume, then identify past it, then stop
 * (see {@link MAX_OVERSIZED_FRAMES}); each reported, naming the limit.
 */
function planOversizedFrame(input: RecoveryInput, maxPayload: number): Recovery {
  const count = (input.oversizedFrames ?? 0) + 1;
  if (count >= MAX_OVERSIZED_FRAMES) {
    return {
      action: 'fatal',
      code: 1009,
      meaning: 'frame larger than maxPayload',
      message: `stopped: ${count} connections in a row were closed (1009) by frames larger than maxPayload (${maxPayload} bytes), with no stable connection between them; the platform sends events this large, and each identify would spend a session start to lose more of them. Raise the maxPayload option, then start the shard again: the session is kept, so it resumes and the frame is sent again`,
      // The session is not at fault: with a larger limit, a resume gets the frame it lost.
      keepSession: true,
    };
  }
  const why = `a frame larger than maxPayload (${maxPayload} bytes) closed the connection (1009), ${count} in a row`;
  const next =
    count === 1
      ? `reconnecting, and a resume gets it again (at ${MAX_OVERSIZED_FRAMES} in a row the shard stops)`
      : `identifying, so that a new session starts past it: it and the rest of the replay are lost, and a session start is spent (at ${MAX_OVERSIZED_FRAMES} in a row the shard stops)`;
  return reconnect(count === 1 ? 'resume' : 'identify', why, {
    ending: 'oversizedFrame',
    oversizedFrame: true,
    report: (shardId) => new FrameTooLargeError(maxPayload, shardId, `${count} in a row; ${next}`),
  });
}

function planFromEnd(input: RecoveryInput): Recovery {
  const { end } = input;
  switch (end.reason) {
    case 'closed': {
      const rule = input.ruleFor(end.code);
      const why =
        end.connectError === undefined
          ? `closed with ${end.code} (${rule.meaning})`
          : `could not connect (${end.connectError}); the socket never opened`;
      switch (rule.action) {
        case 'resume':
          return reconnect('resume', why);
        case 'identify':
          return reconnect('identify', why, { ending: 'closed' });
        case 'resumeAfterSendWindow':
          // Right after an Identify the limit hit is the identify window, not the send budget:
          // the identify queue holds the next turn a window after the refused frame went out.
          if (input.attempt.identifySent && !input.attempt.reachedReady) {
            const refusals = (input.identifyWindowRefusals ?? 0) + 1;
            if (refusals >= MAX_IDENTIFY_WINDOW_REFUSALS) {
              return {
                action: 'fatal',
                code: end.code,
                meaning: rule.meaning,
                message: `stopped: ${refusals} Identify frames in a row were closed with ${end.code} for the identify window; the identify queue paces identifies faster than the platform allows. Raise the window (ShardManager option identifyWindowMs, or limits.windowMs / limits.marginMs of the identify queue)`,
              };
            }
            return reconnect(
              'identify',
              `${why} after an Identify; identifying again after the identify window`,
              { identifyWindowRefused: true },
            );
          }
          return reconnect('resume', why, { minDelayMs: Math.max(input.sendWindowResetMs, 1_000) });
        case 'reauthenticate': {
          const refreshedResumes = input.refreshedResumes ?? 0;
          if (input.hasSession && refreshedResumes < MAX_REFRESHED_RESUMES) {
            return reconnect('resume', `${why}; refreshing the token and resuming`, {
              refreshToken: true,
              refreshedResume: true,
            });
          }
          if (input.authFailures + 1 >= input.maxAuthFailures) {
            return {
              action: 'fatal',
              code: end.code,
              meaning: `${rule.meaning}, ${input.authFailures + 1} times in a row`,
            };
          }
          const tried = input.hasSession && refreshedResumes > 0;
          const identifyWhy = tried ? `${why} after a resume with a fresh token; identifying` : why;
          return reconnect('identify', identifyWhy, { refreshToken: true, ending: 'tokenRefused' });
        }
        case 'fatal':
          return { action: 'fatal', code: end.code, meaning: rule.meaning };
      }
      break;
    }
    case 'zombie':
      return reconnect('resume', 'heartbeat not acknowledged (zombie connection)');
    case 'helloTimeout':
      return reconnect('resume', 'no Hello in time');
    case 'reconnectRequested':
      return reconnect('resume', 'server asked to reconnect (op 7)');
    case 'invalidSession':
      if (!end.resumable && input.attempt.identifySent && !input.attempt.reachedReady) {
        const refusals = input.identifyRefusals + 1;
        if (refusals >= MAX_IDENTIFY_REFUSALS) {
          return {
            action: 'fatal',
            code: GatewayCloseCode.DisallowedIntents,
            meaning: 'identify refused with op 9',
            identifyRefusals: refusals,
          };
        }
        return reconnect('identify', 'identify refused (op 9); retrying once', {
          minDelayMs: invalidSessionDelay(),
          identifyRefused: true,
        });
      }
      // After a stable connection it is the platform ending a session it had kept: not a loop.
      if (!end.resumable && input.attempt.reachedReady && input.connectionProven !== true) {
        return planInvalidatedSession(input);
      }
      if (end.resumable) {
        return reconnect('resume', 'invalid session, resumable (op 9)', {
          minDelayMs: invalidSessionDelay(),
        });
      }
      // Refused after the 4004: the session did not outlive the revoked token, not a long absence.
      if (refreshedResumeRefused(input)) {
        return reconnect(
          'identify',
          'invalid session (op 9) answering the resume with a fresh token after 4004; identifying',
          { minDelayMs: invalidSessionDelay(), ending: 'refreshedResumeInvalidated' },
        );
      }
      return reconnect('identify', 'invalid session (op 9)', {
        minDelayMs: invalidSessionDelay(),
        ending: 'invalidSession',
      });
    case 'readyWithoutSession': {
      // Not an intents refusal (no op 9): the gateway failed to start the session it answered.
      const refusals = input.identifyRefusals + 1;
      if (refusals >= MAX_IDENTIFY_REFUSALS) {
        return {
          action: 'fatal',
          code: GatewayCloseCode.CreateSessionError,
          meaning: 'create session error',
          message: `stopped: READY carried no session id ${refusals} times in a row; each Identify spends a session start, so the shard does not identify again. Start it again once the platform starts sessions properly`,
        };
      }
      return reconnect('identify', 'READY carried no session id; retrying once', {
        minDelayMs: invalidSessionDelay(),
        identifyRefused: true,
      });
    }
    case 'sessionUnanswered': {
      const why = `no answer to ${end.frame === 'resume' ? 'Resume' : 'Identify'} within ${end.afterMs} ms`;
      // An Identify may have spent a session start: the next waits its turn and the back-off.
      if (end.frame === 'identify' || !input.hasSession) return reconnect('identify', why);
      const unanswered = (input.unansweredResumes ?? 0) + 1;
      if (unanswered >= MAX_UNANSWERED_RESUMES) {
        return reconnect('identify', `${why}, ${unanswered} times in a row; identifying`, {
          ending: 'resumeUnanswered',
        });
      }
      return reconnect('resume', `${why}; resuming again`, { resumeUnanswered: true });
    }
    case 'setupFailed':
      if (end.authentication) {
        return { action: 'fatal', code: 4004, meaning: 'access token refused', cause: end.error };
      }
      if (end.destroyed !== undefined) {
        // The shard closed its socket with RESUMABLE_CLOSE_CODE: the session outlives the stop.
        const stop = destroyedStop(end.destroyed);
        return { action: 'fatal', code: RESUMABLE_CLOSE_CODE, cause: end.error, keepSession: true, ...stop };
      }
      return reconnect(input.attempt.mode, `${SETUP_STEP_FAILED[end.step]} (${messageOf(end.error)})`);
    case 'frameTooLarge':
      return planOversizedFrame(input, end.maxPayload);
    case 'restart':
      return reconnect('resume', 'restart requested', { resetBackoff: true });
    case 'wrongShard':
      // Its events belong to another shard, and identifying again asks the same server again.
      return {
        action: 'fatal',
        code: GatewayCloseCode.InvalidShard,
        meaning: 'invalid shard',
        message: `stopped: ${end.detail}; its events belong to another shard. Check the shard id and count given to start*`,
      };
  }
  return reconnect('resume', 'connection lost');
}

/** This attempt's Resume, the one sent with a fresh token after 4004, got no READY or RESUMED. */
function refreshedResumeRefused(input: RecoveryInput): boolean {
  const { attempt } = input;
  return (
    (input.refreshedResumes ?? 0) > 0 &&
    attempt.mode === 'resume' &&
    attempt.resumeSent &&
    !attempt.reachedReady
  );
}

/**
 * Whether the platform ended a healthy connection ({@link RecoveryInput.connectionHealthy}) in the
 * ordinary way: op 7, or a close its policy resumes (4009, 1000, 1001, 1006, unlisted codes). The
 * platform does that to sessions that work (4009 every 30–65 min in the field, more often in an
 * incident), and the attempt counter then starts over, as after a stable connection: the
 * connection did its job, and the next one is expected to. A server that closes each connection
 * right after READY or RESUMED closes it before a scheduled heartbeat was acknowledged (asking
 * for a beat with op 1 and acknowledging it does not count), so it still meets growing delays; op 9
 * and closes that identify keep their own pacing.
 */
function endedHealthy(input: RecoveryInput): boolean {
  if (input.connectionHealthy !== true || !input.attempt.reachedReady) return false;
  const { end } = input;
  if (end.reason === 'reconnectRequested') return true;
  return (
    end.reason === 'closed' && end.connectError === undefined && input.ruleFor(end.code).action === 'resume'
  );
}

/**
 * Decides what a shard does after a connection attempt ended: the close-code policy, then two
 * rules on top: a resume that was sent but not completed is not repeated (identify instead), and
 * without a session there is nothing to resume. Three attempts are no failed resume: a restart the
 * user asked for while a resume was under way, a resume whose replay had begun (the platform
 * accepted it) when the connection was lost, and a resume the platform did not answer at all (it
 * neither accepted nor refused it; tried once more, see {@link MAX_UNANSWERED_RESUMES}). They
 * resume again and spend no session start; a replay lost again before any further event arrives
 * makes no progress, and then identifies. Nor is a resume refused with 4004 while a session is
 * held: the token was refused, and the next resume goes out with a fresh one
 * ({@link MAX_REFRESHED_RESUMES}). A healthy connection the platform ended in the ordinary way
 * starts the back-off over (see `endedHealthy`).
 */
export function planRecovery(input: RecoveryInput): Recovery {
  const plan = planFromEnd(input);
  if (plan.action !== 'reconnect' || plan.mode !== 'resume') return plan;
  if (endedHealthy(input)) return { ...plan, resetBackoff: true };
  // The 4004 refused the token of that resume, not the session.
  if (plan.refreshedResume === true) return plan;
  const { attempt } = input;
  if (
    input.end.reason !== 'restart' &&
    input.end.reason !== 'sessionUnanswered' &&
    attempt.mode === 'resume' &&
    attempt.resumeSent &&
    !attempt.reachedReady &&
    attempt.resumeProgressed !== true
  ) {
    return {
      ...plan,
      mode: 'identify',
      dropSession: true,
      why: `${plan.why}; the resume failed, identifying`,
      ending: 'resumeFailed',
    };
  }
  if (!input.hasSession) return { ...plan, mode: 'identify', dropSession: true };
  return plan;
}
