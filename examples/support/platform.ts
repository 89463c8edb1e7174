import type { ClientBuilder } from '@bot/client';
import { Token, ValidationError, createLogger, type BotLogger, type RestClientOptions } from '@bot/http';
import { Emulator, type EmulatorOptions } from '@bot/testing';

/** Environment variables the examples read. */
export const ENV = {
  appId: 'QQ_BOT_APP_ID',
  secret: 'QQ_BOT_SECRET',
  sandbox: 'QQ_BOT_SANDBOX',
  /** REST base of another platform-compatible host: an emulator started elsewhere, a proxy. */
  apiUrl: 'QQ_BOT_API_URL',
  /** Token endpoint of that host (defaults to the platform's). */
  tokenUrl: 'QQ_BOT_TOKEN_URL',
  /** Lowest log level printed: `debug`, `info`, `warn`, … (`warn` with the embedded emulator, else `info`). */
  logLevel: 'QQ_BOT_LOG_LEVEL',
} as const;

/** tslog's level numbers by name. */
const LOG_LEVELS = { silly: 0, trace: 1, debug: 2, info: 3, warn: 4, error: 5, fatal: 6 } as const;
type LogLevel = keyof typeof LOG_LEVELS;

/** Where REST calls and the token request go. */
type Endpoints = { sandbox: boolean } | { apiUrl: string; tokenUrl: string | undefined };

/**
 * Where an example's bot connects: the QQ platform when credentials are in the environment,
 * otherwise an emulator embedded in the process. One switch for every example, so each of them
 * reads as the bot it is, not as plumbing.
 *
 * ```ts
 * const platform = await Platform.connect({ grantedIntents: intents.bits });
 * const client = await platform.configure(Client.builder(platform.token, intents)).eventHandler(bot);
 * if (platform.emulator) { … script … } else { await untilShutdownSignal(); }
 * ```
 */
export class Platform {
  /** The bot's credentials (the emulator's own when embedded). */
  public readonly token: Token;
  /** The embedded emulator, or `undefined` when the bot talks to a real (or remote) platform. */
  public readonly emulator: Emulator | undefined;
  /** A logger for the bot: warnings only against the embedded emulator, so transcripts stay readable. */
  public readonly logger: BotLogger;
  readonly #endpoints: Endpoints;
  readonly #logLevel: LogLevel;

  private constructor(
    token: Token,
    endpoints: Endpoints,
    emulator: Emulator | undefined,
    logLevel: LogLevel,
  ) {
    this.token = token;
    this.#endpoints = endpoints;
    this.emulator = emulator;
    this.#logLevel = logLevel;
    this.logger = createLogger('bot', LOG_LEVELS[logLevel]);
  }

  /**
   * Reads the environment: `QQ_BOT_APP_ID` and `QQ_BOT_SECRET` select the platform
   * (`QQ_BOT_SANDBOX=1` its sandbox, `QQ_BOT_API_URL` / `QQ_BOT_TOKEN_URL` another host);
   * without them an emulator is started with `emulatorOptions`.
   *
   * @param emulatorOptions - how to start the emulator when one is needed
   * @param env - the environment to read; `process.env` by default
   * @throws {@link ValidationError} naming the variable that is missing or malformed
   */
  public static async connect(
    emulatorOptions: EmulatorOptions = {},
    env: Readonly<Record<string, string | undefined>> = process.env,
  ): Promise<Platform> {
    const credentialsGiven = (env[ENV.appId] ?? '') !== '' || (env[ENV.secret] ?? '') !== '';
    if (!credentialsGiven) refuseHostWithoutCredentials(env);
    return credentialsGiven ? Platform.remote(env) : Platform.embedded(emulatorOptions, env);
  }

  /**
   * Connects to the platform the environment names, never to an embedded emulator: for
   * processes started by another that runs the emulator (it passes {@link Platform.childEnv}).
   *
   * @param env - the environment to read; `process.env` by default
   * @throws {@link ValidationError} naming the variable that is missing or malformed
   */
  public static remote(env: Readonly<Record<string, string | undefined>> = process.env): Platform {
    const appId = env[ENV.appId] ?? '';
    const secret = env[ENV.secret] ?? '';
    if (appId === '' && secret === '') throw new ValidationError(ENV.appId, 'is not set');
    // Only one of the pair: the user may have meant either the platform or the emulator.
    const eitherWay = 'set both for the QQ platform, or unset both to run on the embedded emulator';
    if (appId === '') throw new ValidationError(ENV.appId, `is not set while ${ENV.secret} is: ${eitherWay}`);
    if (secret === '')
      throw new ValidationError(ENV.secret, `is not set while ${ENV.appId} is: ${eitherWay}`);
    const logLevel = parseLogLevel(env[ENV.logLevel]) ?? 'info';
    return new Platform(new Token(appId, secret), endpointsFrom(env), undefined, logLevel);
  }

  /**
   * Starts an emulator in this process and connects to it, whatever the environment says.
   *
   * @param emulatorOptions - how to start the emulator
   * @param env - where to read `QQ_BOT_LOG_LEVEL`; `process.env` by default
   * @throws {@link ValidationError} for a malformed `QQ_BOT_LOG_LEVEL`
   */
  public static async embedded(
    emulatorOptions: EmulatorOptions = {},
    env: Readonly<Record<string, string | undefined>> = process.env,
  ): Promise<Platform> {
    const logLevel = parseLogLevel(env[ENV.logLevel]) ?? 'warn';
    const emulator = await Emulator.start(emulatorOptions);
    const endpoints = { apiUrl: emulator.restUrl, tokenUrl: emulator.tokenUrl };
    return new Platform(new Token(emulator.appId, emulator.secret), endpoints, emulator, logLevel);
  }

  /** One line saying where the bot connects, for the first line an example prints. */
  public describe(): string {
    if (this.emulator) {
      return `the embedded emulator at ${this.emulator.restUrl} (set ${ENV.appId} and ${ENV.secret} for the QQ platform)`;
    }
    const endpoints = this.#endpoints;
    if ('apiUrl' in endpoints) return `the platform at ${endpoints.apiUrl}`;
    return endpoints.sandbox ? 'the QQ platform (sandbox)' : 'the QQ platform';
  }

  /**
   * Points a client builder at this platform and gives it this platform's logger.
   *
   * @param builder - a builder made with {@link Platform.token}
   */
  public configure(builder: ClientBuilder): ClientBuilder {
    const endpoints = this.#endpoints;
    const logged = builder.logger(this.logger);
    return 'apiUrl' in endpoints
      ? logged.baseUrl(endpoints.apiUrl, endpoints.tokenUrl)
      : logged.sandbox(endpoints.sandbox);
  }

  /** Options for a `RestClient` of this platform (token, host and logger). */
  public restOptions(): RestClientOptions {
    const endpoints = this.#endpoints;
    const base = { token: this.token, logger: this.logger };
    if (!('apiUrl' in endpoints)) return { ...base, sandbox: endpoints.sandbox };
    return {
      ...base,
      baseUrl: endpoints.apiUrl,
      ...(endpoints.tokenUrl === undefined ? {} : { tokenUrl: endpoints.tokenUrl }),
    };
  }

  /**
   * The variables a child process needs to reach this same platform and log like this process
   * (the embedded emulator included: its URLs and credentials travel as `QQ_BOT_API_URL`, …).
   */
  public childEnv(): Record<string, string> {
    const env: Record<string, string> = {
      [ENV.appId]: this.token.appId,
      [ENV.secret]: this.token.secret,
      [ENV.logLevel]: this.#logLevel,
    };
    const endpoints = this.#endpoints;
    if (!('apiUrl' in endpoints)) return endpoints.sandbox ? { ...env, [ENV.sandbox]: '1' } : env;
    return {
      ...env,
      [ENV.apiUrl]: endpoints.apiUrl,
      ...(endpoints.tokenUrl === undefined ? {} : { [ENV.tokenUrl]: endpoints.tokenUrl }),
    };
  }

  /** Stops the embedded emulator, if any. */
  public async stop(): Promise<void> {
    await this.emulator?.stop();
  }
}

/**
 * Refuses a host chosen without credentials: the embedded emulator would be used instead, without
 * a word, and messages sent over the chosen emulator's control API would reach no bot.
 */
function refuseHostWithoutCredentials(env: Readonly<Record<string, string | undefined>>): void {
  const hostVariable = [ENV.apiUrl, ENV.tokenUrl].find((name) => (env[name] ?? '') !== '');
  const chosen = hostVariable ?? (parseFlag(env[ENV.sandbox], ENV.sandbox) ? ENV.sandbox : undefined);
  if (chosen === undefined) return;
  throw new ValidationError(
    chosen,
    `is set but ${ENV.appId} and ${ENV.secret} are not: set them too (an emulator of your own prints ` +
      `its appId and secret), or unset ${chosen} to run on the embedded emulator`,
  );
}

function endpointsFrom(env: Readonly<Record<string, string | undefined>>): Endpoints {
  const sandbox = parseFlag(env[ENV.sandbox], ENV.sandbox);
  const apiUrl = parseUrl(env[ENV.apiUrl], ENV.apiUrl);
  const tokenUrl = parseUrl(env[ENV.tokenUrl], ENV.tokenUrl);
  if (apiUrl === undefined) {
    if (tokenUrl !== undefined) throw new ValidationError(ENV.tokenUrl, `needs ${ENV.apiUrl} as well`);
    return { sandbox };
  }
  if (sandbox) throw new ValidationError(ENV.sandbox, `conflicts with ${ENV.apiUrl}: choose one host`);
  return { apiUrl, tokenUrl };
}

function parseFlag(value: string | undefined, name: string): boolean {
  if (value === undefined || value === '' || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw new ValidationError(name, `must be 1 or 0, got "${value}"`);
}

function parseUrl(value: string | undefined, name: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!URL.canParse(value)) throw new ValidationError(name, `is not a URL: "${value}"`);
  return value;
}

function parseLogLevel(value: string | undefined): LogLevel | undefined {
  if (value === undefined || value === '') return undefined;
  const level = value.toLowerCase();
  if (Object.hasOwn(LOG_LEVELS, level)) return level as LogLevel;
  throw new ValidationError(
    ENV.logLevel,
    `must be one of ${Object.keys(LOG_LEVELS).join(', ')}; got "${value}"`,
  );
}
