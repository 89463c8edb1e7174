import type { TokenRegistry } from '../auth/TokenRegistry.js';
import type { User } from '../protocol/wire.js';
import type { Recorder } from '../recorder/Recorder.js';
import type { IdentifyLimiter } from './IdentifyLimiter.js';
import type { IntentsRefusal } from './identifyAdmission.js';
import type { SessionRegistry } from './SessionRegistry.js';

/** Timing and size settings of the emulated gateway. */
export interface GatewaySettings {
  /** `heartbeat_interval` sent in Hello, in ms. */
  heartbeatInterval: number;
  /** Close with 4009 when no heartbeat arrives for this long (ms); 0 disables. */
  heartbeatTimeout: number;
  /** Largest accepted client frame in bytes; bigger frames are closed with 4002. */
  maxFrameBytes: number;
  /** Intents the bot is granted; asking for others closes with 4014. */
  grantedIntents: number;
  /** Delay before Hello in ms (the slow-Hello fault). */
  helloDelay: number;
  /**
   * How an Identify asking for intents the bot is not granted is refused: a 4014 close (the
   * default) or op 9 with `d: false` after spending a session start, the other way the platform
   * refuses them.
   */
  intentRefusal?: 'close' | 'invalidSession';
  /** Close a Resume from behind the session's acknowledged seq with 4007 (see `strictResume`). */
  strictResume?: boolean;
}

/** What a gateway connection needs from the rest of the emulator. */
export interface GatewayContext {
  readonly settings: GatewaySettings;
  readonly tokens: TokenRegistry;
  readonly sessions: SessionRegistry;
  readonly limiter: IdentifyLimiter;
  readonly recorder: Recorder;
  readonly bot: User;
  /** Reports an unexpected internal failure (the connection is closed with 4900). */
  readonly onInternalError: (error: unknown) => void;
  /**
   * Hears of each Identify refused for intents not granted, for the emulator's own log: what the
   * bot receives stays what the platform sends.
   */
  readonly onIntentsRefused: (refusal: IntentsRefusal) => void;
}
