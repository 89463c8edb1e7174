import type { IncomingMessage, ServerResponse } from 'node:http';
import { EmulatorError } from '../EmulatorError.js';
import type { Faults } from '../faults/Faults.js';
import type { SessionStartLimit } from '../protocol/wire.js';
import type { Recorder } from '../recorder/Recorder.js';
import type { PendingAudit } from '../rest/rules/AuditQueue.js';
import type { RichContentGrants } from '../rest/rules/RichContentGrants.js';
import { readBody, sendJson } from '../server/httpIo.js';
import type { Simulator } from '../simulate/Simulator.js';
import type { World } from '../state/World.js';
import type { ChunkedUploads } from '../uploads/ChunkedUploads.js';
import { tryParseJson } from '../util/guards.js';
import type { WebhookPusher } from '../webhook/WebhookPusher.js';
import { configureUploads, setRichContent, uploadsView } from './contentActions.js';
import { FAULT_NAMES, runFault } from './faultActions.js';
import { readFields } from './fieldSpec.js';
import { readRecordQuery, recordMatches, searchParamsToQuery } from './recordQuery.js';
import { runSimulation, SIMULATION_NAMES } from './simulateActions.js';

/** The path prefix reserved for the control API. */
export const CONTROL_PREFIX = '/__emulator';

/** URLs and credentials of a running emulator (the CLI's ready line). */
export interface EmulatorInfo {
  restUrl: string;
  gatewayUrl: string;
  tokenUrl: string;
  appId: string;
  secret: string;
  controlUrl: string;
}

/** What the control API drives (the emulator itself). */
export interface ControlTarget {
  readonly world: World;
  readonly simulate: Simulator;
  readonly faults: Faults;
  readonly recorder: Recorder;
  readonly webhook: WebhookPusher;
  readonly richContent: RichContentGrants;
  readonly uploads: ChunkedUploads;
  readonly auditMode: boolean;
  readonly grantedIntents: number;
  info(): EmulatorInfo;
  createAccessToken(): string;
  setAuditMode(enabled: boolean): void;
  pendingAudits(): PendingAudit[];
  setGrantedIntents(bits: number): void;
  sessionStartLimit(): SessionStartLimit;
  setSessionsRemaining(remaining: number): void;
}

/** A control API answer. */
interface Answer {
  status: number;
  body: unknown;
}

const MAX_CONTROL_BODY = 1024 * 1024;

/**
 * The emulator's controls over HTTP under {@link CONTROL_PREFIX}, JSON in and JSON out, so a bot
 * in any language (or `curl`) can simulate users, inject faults and read the record.
 */
export class ControlApi {
  readonly #target: ControlTarget;
  readonly #onInternalError: (error: unknown) => void;

  /**
   * @param target the emulator
   * @param onInternalError reports unexpected failures (answered with 500)
   */
  constructor(target: ControlTarget, onInternalError: (error: unknown) => void) {
    this.#target = target;
    this.#onInternalError = onInternalError;
  }

  /** Answers one control request. Never throws. */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    let answer: Answer;
    try {
      const read = await readBody(req, MAX_CONTROL_BODY);
      if (!read.ok) {
        if (read.reason === 'aborted') return;
        answer = { status: 413, body: { error: `body exceeds ${MAX_CONTROL_BODY} bytes` } };
      } else {
        const text = read.bytes.toString('utf8');
        const parsed = text.trim() === '' ? { value: undefined } : tryParseJson(text);
        answer = parsed
          ? await this.#dispatch((req.method ?? 'GET').toUpperCase(), url, parsed.value)
          : { status: 400, body: { error: 'body is not valid JSON' } };
      }
    } catch (error) {
      if (error instanceof EmulatorError) {
        answer = { status: 400, body: { error: error.message } };
      } else {
        this.#onInternalError(error);
        answer = { status: 500, body: { error: 'internal emulator error' } };
      }
    }
    sendJson(res, answer.status, answer.body);
  }

  async #dispatch(method: string, url: URL, body: unknown): Promise<Answer> {
    const path = url.pathname.slice(CONTROL_PREFIX.length).replace(/\/+$/, '') || '/';
    const [, section = '', name = ''] = path.split('/');
    const t = this.#target;
    const key = `${method} /${section}${name && section !== 'simulate' && section !== 'faults' ? `/${name}` : ''}`;
    switch (key) {
      case 'GET /':
        return ok({ ...t.info(), simulations: SIMULATION_NAMES, faults: FAULT_NAMES });
      case 'GET /info':
        return ok(t.info());
      case 'GET /world':
        return ok(this.#worldSummary());
      case 'POST /token':
        return ok({ access_token: t.createAccessToken() });
      case 'POST /simulate':
        return ok(runSimulation(t.simulate, name, body));
      case 'POST /faults':
        return ok(runFault(t, name, body));
      case 'GET /records': {
        const query = readRecordQuery(searchParamsToQuery(url.searchParams));
        return ok(t.recorder.filter((r) => recordMatches(r, query)));
      }
      case 'DELETE /records':
        t.recorder.clear();
        return ok({});
      case 'POST /records/wait': {
        const query = readRecordQuery(body);
        try {
          return ok(
            await t.recorder.waitFor((r) => recordMatches(r, query), {
              timeout: query.timeout ?? 5000,
              ...(query.from !== undefined ? { from: query.from } : {}),
            }),
          );
        } catch (error) {
          if (error instanceof EmulatorError) return { status: 408, body: { error: error.message } };
          throw error;
        }
      }
      case 'GET /webhook':
        return ok({ url: t.webhook.url });
      case 'PUT /webhook': {
        const input = readFields(body, { url: 'string?', validate: 'boolean?' });
        // An empty URL clears it as null does: what a shell variable left unset sends.
        await t.webhook.setUrl(
          input.url === undefined || input.url === '' ? null : input.url,
          input.validate !== undefined ? { validate: input.validate } : {},
        );
        return ok({ url: t.webhook.url });
      }
      case 'GET /audit':
        return ok({ enabled: t.auditMode, pending: t.pendingAudits() });
      case 'PUT /audit':
        t.setAuditMode(readFields(body, { enabled: 'boolean' }).enabled);
        return ok({ enabled: t.auditMode });
      case 'GET /intents':
        return ok({ granted: t.grantedIntents });
      case 'PUT /intents': {
        const granted = readFields(body, { granted: 'integer' }).granted;
        if (granted < 0) throw new EmulatorError('field "granted" must be a non-negative bit set');
        t.setGrantedIntents(granted);
        return ok({ granted });
      }
      case 'GET /session-limit':
        return ok(t.sessionStartLimit());
      case 'PUT /session-limit': {
        const remaining = readFields(body, { remaining: 'integer' }).remaining;
        if (remaining < 0) throw new EmulatorError('field "remaining" must not be negative');
        t.setSessionsRemaining(remaining);
        return ok(t.sessionStartLimit());
      }
      case 'GET /rich-content':
        return ok(t.richContent.current);
      case 'PUT /rich-content':
        return ok(setRichContent(t.richContent, body));
      case 'DELETE /rich-content':
        t.richContent.reset();
        return ok(t.richContent.current);
      case 'GET /uploads':
        return ok(uploadsView(t.uploads));
      case 'PUT /uploads':
        return ok(configureUploads(t.uploads, body));
      default:
        return { status: 404, body: { error: `no control endpoint ${method} ${url.pathname}` } };
    }
  }

  #worldSummary(): unknown {
    const { world } = this.#target;
    return {
      defaults: world.defaults,
      bot: world.bot,
      guilds: world.guilds
        .allGuilds()
        .map((guild) => ({ ...guild, channels: world.guilds.channelsOf(guild.id) })),
      dms: world.dms
        .all()
        .map((dm) => ({ ...dm.session, user_id: dm.userId, src_guild_id: dm.sourceGuildId })),
      groups: [...world.open.groups.values()],
      c2cUsers: [...world.open.users.values()],
    };
  }
}

function ok(body: unknown): Answer {
  return { status: 200, body };
}
