import { EventEmitter, once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** A frame the fake gateway received, with the (possibly fake) time it arrived. */
export interface ReceivedFrame {
  op: number;
  d: unknown;
  at: number;
  connection: FakeConnection;
}

interface SessionRecord {
  id: string;
  shard: [number, number];
  seq: number;
  history: string[];
}

/** Knobs of the scripted gateway. */
export interface FakeGatewayOptions {
  /** Heartbeat interval announced in Hello (ms). */
  heartbeatInterval?: number;
  /** Send Hello on connect (default true). */
  hello?: boolean;
  /** Acknowledge heartbeats (default true). */
  ackHeartbeats?: boolean;
  /** Answer Resume with a replay and RESUMED when the session is known (default true). */
  acceptResume?: boolean;
  /** Close the connection with this code instead of answering Identify (default: answer). */
  closeOnIdentify?: number | undefined;
  /** Answer Identify with op 9 `d: false`, as the platform refuses intents (default false). */
  refuseIdentify?: boolean;
  /** `shard` named in READY (default: the pair the Identify asked for). */
  readyShard?: unknown;
  /** `session_id` of READY (default: the session's id); `undefined` leaves the field out. */
  readySessionId?: unknown;
  /** Record Identify frames and answer nothing, heartbeats still acknowledged (default false). */
  swallowIdentify?: boolean;
  /** Record Resume frames and answer nothing, heartbeats still acknowledged (default false). */
  swallowResume?: boolean;
}

/** One client connection as the fake gateway sees it. */
export class FakeConnection {
  public session: SessionRecord | undefined;
  public ackHeartbeats: boolean;

  public constructor(
    public readonly socket: WebSocket,
    ackHeartbeats: boolean,
  ) {
    this.ackHeartbeats = ackHeartbeats;
  }

  /** Sends a raw frame. */
  public send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Sends Hello. */
  public hello(interval: number): void {
    this.send({ op: 10, d: { heartbeat_interval: interval } });
  }

  /** Sends a dispatch numbered in the connection's session; it is kept for replay. */
  public dispatch(t: string, d: unknown = {}): number {
    const session = this.session;
    if (session === undefined) throw new Error('dispatch before READY');
    session.seq++;
    const frame = JSON.stringify({ op: 0, s: session.seq, t, id: `${t}:${session.seq}`, d });
    session.history.push(frame);
    this.socket.send(frame);
    return session.seq;
  }

  /** Forgets this connection's session on the server, as the platform does for session-ending closes. */
  public forgetSession(gateway: FakeGateway): void {
    if (this.session !== undefined) gateway.sessions.delete(this.session.id);
  }

  /** Closes with a code. */
  public close(code: number, reason = ''): void {
    this.socket.close(code, reason);
  }
}

/**
 * A scripted gateway for unit tests: Hello on connect, READY for Identify, a replay and RESUMED
 * for Resume, heartbeat ACKs; every frame recorded with its arrival time. Faults are injected by
 * the test through the connection objects.
 */
export class FakeGateway extends EventEmitter {
  public readonly frames: ReceivedFrame[] = [];
  public readonly connections: FakeConnection[] = [];
  public readonly sessions = new Map<string, SessionRecord>();
  public options: Required<Omit<FakeGatewayOptions, 'readyShard' | 'readySessionId'>> &
    Pick<FakeGatewayOptions, 'readyShard' | 'readySessionId'> & { closeOnIdentify: number | undefined };
  #nextSession = 1;

  private constructor(
    private readonly server: WebSocketServer,
    options: FakeGatewayOptions,
  ) {
    super();
    this.options = {
      heartbeatInterval: 40_000,
      hello: true,
      ackHeartbeats: true,
      acceptResume: true,
      closeOnIdentify: undefined,
      refuseIdentify: false,
      swallowIdentify: false,
      swallowResume: false,
      ...options,
    };
    server.on('connection', (socket) => this.#accept(socket));
  }

  /** Starts a fake gateway on 127.0.0.1 and a free port. */
  public static async start(options: FakeGatewayOptions = {}): Promise<FakeGateway> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(server, 'listening');
    return new FakeGateway(server, options);
  }

  /** `ws://` URL of the gateway. */
  public get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `ws://127.0.0.1:${port}/websocket`;
  }

  /** The most recent connection. */
  public get last(): FakeConnection {
    const connection = this.connections.at(-1);
    if (connection === undefined) throw new Error('no connection yet');
    return connection;
  }

  /** Frames received with a given opcode. */
  public received(op: number): ReceivedFrame[] {
    return this.frames.filter((frame) => frame.op === op);
  }

  /** Resolves with the next frame of opcode `op`. */
  public async next(op: number): Promise<ReceivedFrame> {
    for (;;) {
      const [frame] = (await once(this, 'frame')) as [ReceivedFrame];
      if (frame.op === op) return frame;
    }
  }

  /** Resolves with the next connection. */
  public async nextConnection(): Promise<FakeConnection> {
    const [connection] = (await once(this, 'connection')) as [FakeConnection];
    return connection;
  }

  /** The open connection currently serving shard `id`. */
  public connectionOf(id: number): FakeConnection {
    const connection = this.connections.findLast(
      (candidate) =>
        candidate.session?.shard[0] === id && candidate.socket.readyState === candidate.socket.OPEN,
    );
    if (connection === undefined) throw new Error(`no open connection for shard ${id}`);
    return connection;
  }

  /** Closes every connection and the server. */
  public async close(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  #accept(socket: WebSocket): void {
    const connection = new FakeConnection(socket, this.options.ackHeartbeats);
    this.connections.push(connection);
    socket.on('message', (data) =>
      this.#onFrame(connection, JSON.parse(String(data)) as { op: number; d: unknown }),
    );
    socket.on('error', () => undefined);
    if (this.options.hello) connection.hello(this.options.heartbeatInterval);
    this.emit('connection', connection);
  }

  #onFrame(connection: FakeConnection, frame: { op: number; d: unknown }): void {
    const record: ReceivedFrame = { op: frame.op, d: frame.d, at: Date.now(), connection };
    this.frames.push(record);
    if (frame.op === 1 && connection.ackHeartbeats) connection.send({ op: 11 });
    if (frame.op === 2) this.#identify(connection, frame.d as { shard: [number, number] });
    if (frame.op === 6) this.#resume(connection, frame.d as { session_id: string; seq: number });
    this.emit('frame', record);
  }

  #identify(connection: FakeConnection, d: { shard: [number, number] }): void {
    if (this.options.swallowIdentify) return;
    if (this.options.closeOnIdentify !== undefined) {
      connection.close(this.options.closeOnIdentify);
      return;
    }
    if (this.options.refuseIdentify) {
      connection.send({ op: 9, d: false });
      return;
    }
    const session: SessionRecord = {
      id: `session-${this.#nextSession++}`,
      shard: d.shard,
      seq: 0,
      history: [],
    };
    this.sessions.set(session.id, session);
    connection.session = session;
    connection.dispatch('READY', {
      version: 1,
      session_id: 'readySessionId' in this.options ? this.options.readySessionId : session.id,
      user: { id: 'bot', username: 'bot', bot: true },
      shard: 'readyShard' in this.options ? this.options.readyShard : d.shard,
    });
  }

  #resume(connection: FakeConnection, d: { session_id: string; seq: number }): void {
    if (this.options.swallowResume) return;
    const session = this.sessions.get(d.session_id);
    if (!this.options.acceptResume || session === undefined) {
      connection.send({ op: 9, d: false });
      return;
    }
    connection.session = session;
    for (const frame of session.history.slice(d.seq)) connection.socket.send(frame);
    connection.send({ op: 0, t: 'RESUMED', d: '' });
  }
}
