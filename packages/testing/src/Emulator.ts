import { Logger, type ILogObj } from 'tslog';
import { handleTokenRequest, TOKEN_PATH } from './auth/tokenEndpoint.js';
import { TokenRegistry } from './auth/TokenRegistry.js';
import { ControlApi, CONTROL_PREFIX, type EmulatorInfo } from './control/ControlApi.js';
import { EventBus } from './dispatch/EventBus.js';
import { resolveOptions, type EmulatorOptions, type ResolvedOptions } from './EmulatorOptions.js';
import { Faults } from './faults/Faults.js';
import { RouteFaults } from './faults/RouteFaults.js';
import type { GatewaySettings } from './gateway/GatewayContext.js';
import { GATEWAY_PATH, GatewayServer } from './gateway/GatewayServer.js';
import { IdentifyLimiter } from './gateway/IdentifyLimiter.js';
import { IntentsRefusalLog } from './gateway/intentsRefusalLog.js';
import { SessionRegistry } from './gateway/SessionRegistry.js';
import type { SessionStartLimit } from './protocol/wire.js';
import { Recorder } from './recorder/Recorder.js';
import { RestService } from './rest/RestService.js';
import { Router } from './rest/Router.js';
import { ALL_ROUTES } from './rest/routes/index.js';
import { AuditQueue, type PendingAudit } from './rest/rules/AuditQueue.js';
import { ChannelRateLimiter } from './rest/rules/ChannelRateLimiter.js';
import { ReplyLedger } from './rest/rules/ReplyLedger.js';
import { RichContentGrants } from './rest/rules/RichContentGrants.js';
import { EmulatorServer } from './server/EmulatorServer.js';
import { Simulator } from './simulate/Simulator.js';
import { World } from './state/World.js';
import { ChunkedUploads } from './uploads/ChunkedUploads.js';
import { IdFactory } from './util/ids.js';
import { WebhookPusher } from './webhook/WebhookPusher.js';

/** tslog's number for the info level. */
const INFO_LEVEL = 3;

/**
 * A local emulator of the QQ Bot Open Platform: token endpoint, REST API, gateway and webhook
 * pusher on one 127.0.0.1 port, with simulated users, fault injection and a recorder.
 *
 * ```ts
 * const emu = await Emulator.start({ heartbeatInterval: 1000, grantedIntents: 'all' });
 * // point the bot at emu.restUrl, emu.tokenUrl (gateway URL comes from GET /gateway/bot)
 * emu.simulate.groupAtMessage({ content: 'hi' });
 * await emu.recorder.waitFor((r) => r.kind === 'rest' && r.route === 'POST /v2/groups/{group_openid}/messages');
 * await emu.stop();
 * ```
 */
export class Emulator {
  /** The bot's AppID. */
  readonly appId: string;
  /** The bot's AppSecret. */
  readonly secret: string;
  /** The platform state: guilds, channels, members, groups, C2C users, messages. */
  readonly world = new World();
  /** Everything the bot sent and the emulator answered. */
  readonly recorder: Recorder;
  /** Simulated users producing events. */
  readonly simulate: Simulator;
  /** Fault injection. */
  readonly faults: Faults;
  /** The webhook pusher (set a callback URL with `webhook.setUrl`). */
  readonly webhook: WebhookPusher;
  /** What the bot may send of markdown and keyboards (all granted by default; revoke with `set`). */
  readonly richContent = new RichContentGrants();
  /** Chunked media uploads: settings, part PUT faults and records. */
  readonly uploads: ChunkedUploads;

  readonly #options: ResolvedOptions;
  readonly #server: EmulatorServer;
  readonly #ids = new IdFactory();
  readonly #tokens: TokenRegistry;
  readonly #limiter: IdentifyLimiter;
  readonly #settings: GatewaySettings;
  readonly #audits: AuditQueue;
  readonly #gateway: GatewayServer;
  readonly #rest: RestService;
  readonly #control: ControlApi;
  readonly #router = new Router();
  readonly #logger: Logger<ILogObj>;
  #stopped = false;

  private constructor(options: ResolvedOptions) {
    this.#options = options;
    // The four seed guilds cover shards 0–3 only: a bot running higher shards of a larger count
    // would get no guild events from the simulations.
    this.world.guildsOnEveryShard(options.shards);
    this.appId = options.appId;
    this.secret = options.secret;
    this.#logger = options.logger ?? new Logger({ name: 'qq-emulator', minLevel: 4 });
    const onInternalError = (error: unknown): void => {
      this.#logger.error('internal emulator error', error);
    };
    this.recorder = new Recorder(options.recordLimit, (error) =>
      this.#logger.error('a recorder listener threw', error),
    );
    this.#tokens = new TokenRegistry(this.#ids, options.tokenLifetime);
    this.#limiter = new IdentifyLimiter(options.sessionStartLimit, options.identifyWindow);
    this.#settings = {
      heartbeatInterval: options.heartbeatInterval,
      heartbeatTimeout: options.heartbeatTimeout,
      maxFrameBytes: options.maxFrameBytes,
      grantedIntents: options.grantedIntents,
      helloDelay: 0,
      strictResume: options.strictResume,
    };
    this.#audits = new AuditQueue(options.auditMode);
    const sessions = new SessionRegistry(this.#ids, options.resumeBufferSize, options.resumeWindow);
    const intentsRefusals = new IntentsRefusalLog(this.#logger);
    this.#gateway = new GatewayServer({
      settings: this.#settings,
      tokens: this.#tokens,
      sessions,
      limiter: this.#limiter,
      recorder: this.recorder,
      bot: this.world.bot,
      onInternalError,
      onIntentsRefused: (refusal) => intentsRefusals.report(refusal, this.#settings.grantedIntents),
    });
    this.webhook = new WebhookPusher(
      options.appId,
      options.secret,
      { retryDelays: options.webhook.retryDelays, timeout: options.webhook.timeout },
      this.recorder,
    );
    const events = new EventBus(this.#ids);
    // A logger at info or below (the CLI's) logs each event as it is published: first, so that
    // line comes before those about its deliveries. Others pay nothing per event.
    if (this.#logger.settings.minLevel <= INFO_LEVEL) {
      events.addTransport({
        deliver: (event, routing) =>
          this.#logger.info(
            // Event ids start with the event name: `AT_MESSAGE_CREATE:…`.
            `event ${event.id}${routing.guildId === undefined ? '' : ` (guild ${routing.guildId})`}`,
          ),
      });
    }
    events.addTransport(this.#gateway);
    events.addTransport(this.webhook);
    const replies = new ReplyLedger(options.replyWindows);
    const routeFaults = new RouteFaults(() => this.#router.templates());
    this.uploads = new ChunkedUploads(this.#ids, () => this.#server.baseUrl);
    const deps = {
      world: this.world,
      ids: this.#ids,
      events,
      replies,
      rate: new ChannelRateLimiter(),
      audits: this.#audits,
      richContent: this.richContent,
      appId: options.appId,
      gatewayUrl: () => this.gatewayUrl,
      uploads: this.uploads,
      gatewayBot: () => ({
        url: this.gatewayUrl,
        shards: options.shards,
        session_start_limit: this.#limiter.snapshot(),
      }),
    };
    for (const register of ALL_ROUTES) register(this.#router, deps);
    this.#rest = new RestService({
      router: this.#router,
      tokens: this.#tokens,
      ids: this.#ids,
      recorder: this.recorder,
      faults: routeFaults,
      maxBodyBytes: options.maxBodyBytes,
      onInternalError,
    });
    this.simulate = new Simulator({
      appId: options.appId,
      world: this.world,
      ids: this.#ids,
      events,
      replies,
      audits: this.#audits,
    });
    this.faults = new Faults(this.#gateway, this.#settings, this.#tokens, routeFaults, events, this.uploads);
    this.#control = new ControlApi(this, onInternalError);
    this.#server = new EmulatorServer(
      {
        token: (req, res) => handleTokenRequest(req, res, this, this.#tokens, this.#ids, this.recorder),
        control: (req, res, url) => this.#control.handle(req, res, url),
        uploadPart: (req, res, url) => this.uploads.handlePart(req, res, url),
        rest: (req, res, url) => this.#rest.handle(req, res, url),
        upgrade: (req, socket, head) => this.#gateway.handleUpgrade(req, socket, head),
      },
      this.#logger,
    );
  }

  /** Starts an emulator listening on 127.0.0.1 (port chosen by the OS unless given). */
  static async start(options: EmulatorOptions = {}): Promise<Emulator> {
    const emulator = new Emulator(resolveOptions(options));
    await emulator.#server.listen(emulator.#options.port, emulator.#options.host);
    if (options.webhook?.url) {
      try {
        await emulator.webhook.setUrl(options.webhook.url, { validate: emulator.#options.webhook.validate });
      } catch (error) {
        await emulator.stop();
        throw error;
      }
    }
    return emulator;
  }

  /** Base URL of the REST API (what `https://api.sgroup.qq.com` is in production). */
  get restUrl(): string {
    return this.#server.baseUrl;
  }

  /** The gateway WebSocket URL (also returned by `GET /gateway`). */
  get gatewayUrl(): string {
    return `${this.#server.baseUrl.replace(/^http/, 'ws')}${GATEWAY_PATH}`;
  }

  /** Full URL of the token endpoint (`POST`, `{appId, clientSecret}`). */
  get tokenUrl(): string {
    return `${this.#server.baseUrl}${TOKEN_PATH}`;
  }

  /** Base URL of the HTTP control API. */
  get controlUrl(): string {
    return `${this.#server.baseUrl}${CONTROL_PREFIX}`;
  }

  /** URLs and credentials, as the CLI prints them. */
  info(): EmulatorInfo {
    return {
      restUrl: this.restUrl,
      gatewayUrl: this.gatewayUrl,
      tokenUrl: this.tokenUrl,
      appId: this.appId,
      secret: this.secret,
      controlUrl: this.controlUrl,
    };
  }

  /** Issues (or returns the current) access token without an HTTP round trip. */
  createAccessToken(): string {
    return this.#tokens.issue().accessToken;
  }

  /** Whether guild and DM sends are held for audit (202 / 304024). */
  get auditMode(): boolean {
    return this.#audits.enabled;
  }

  /** Turns audit mode on or off. */
  setAuditMode(enabled: boolean): void {
    this.#audits.enabled = enabled;
  }

  /** Sends waiting for `simulate.auditPass` / `auditReject`. */
  pendingAudits(): PendingAudit[] {
    return this.#audits.pending();
  }

  /** The intents the bot is granted. */
  get grantedIntents(): number {
    return this.#settings.grantedIntents;
  }

  /** Changes the granted intents (affects later Identifies). */
  setGrantedIntents(bits: number): void {
    this.#settings.grantedIntents = bits;
  }

  /** The session start budget as `GET /gateway/bot` reports it now. */
  sessionStartLimit(): SessionStartLimit {
    return this.#limiter.snapshot();
  }

  /** Sets how many session starts are left in the current period. */
  setSessionsRemaining(remaining: number): void {
    this.#limiter.setRemaining(remaining);
  }

  /** Every REST route template the emulator serves. */
  routes(): string[] {
    return this.#router.templates();
  }

  /** Closes every socket and the listening port; pending webhook retries are cancelled. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.faults.reset();
    this.richContent.reset();
    this.webhook.close();
    this.uploads.reset();
    await this.#gateway.close();
    await this.#server.close();
  }
}
