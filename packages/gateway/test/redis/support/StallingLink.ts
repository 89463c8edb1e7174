import { createConnection, createServer, type Server, type Socket } from 'node:net';

interface Pair {
  client: Socket;
  server: Socket;
  /** Bytes from the client held back while the link stalls. */
  held: Buffer[];
}

/**
 * A TCP relay between one Redis client and the server that can stall: while stalled, what the
 * client sends is held back (its commands time out on the client's side but are still on their
 * way, as on a congested network), then delivered in order on `resume()`, or dropped with the
 * connection on `cut()` (the client's process died). The server is real; only the path to it
 * misbehaves.
 */
export class StallingLink {
  readonly #server: Server;
  readonly #pairs = new Set<Pair>();
  #stalled = false;

  private constructor(server: Server) {
    this.#server = server;
  }

  /**
   * Listens on 127.0.0.1 (a free port) and relays every connection to `target`.
   *
   * @param target - the Redis server's port
   */
  public static async open(target: number): Promise<StallingLink> {
    const server = createServer();
    const link = new StallingLink(server);
    server.on('connection', (client) => link.#relay(client, target));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return link;
  }

  /** `redis://127.0.0.1:<port>` of the relay. */
  public get url(): string {
    const address = this.#server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    return `redis://127.0.0.1:${port}`;
  }

  /** Bytes held back now, over every connection. */
  public get heldBytes(): number {
    let total = 0;
    for (const pair of this.#pairs) for (const chunk of pair.held) total += chunk.length;
    return total;
  }

  /** Holds back everything clients send from now on. */
  public stall(): void {
    this.#stalled = true;
  }

  /** Delivers what was held back, in order, and relays freely again. */
  public resume(): void {
    this.#stalled = false;
    for (const pair of this.#pairs) {
      for (const chunk of pair.held.splice(0)) pair.server.write(chunk);
    }
  }

  /** Drops every connection with what it held back, as if the client's process had died. */
  public cut(): void {
    for (const pair of this.#pairs) {
      pair.held.length = 0;
      pair.client.destroy();
      pair.server.destroy();
    }
    this.#pairs.clear();
  }

  /** Drops the connections and stops listening. */
  public async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #relay(client: Socket, target: number): void {
    const server = createConnection({ port: target, host: '127.0.0.1' });
    const pair: Pair = { client, server, held: [] };
    this.#pairs.add(pair);
    client.on('data', (chunk: Buffer) => {
      if (this.#stalled) pair.held.push(chunk);
      else server.write(chunk);
    });
    server.on('data', (chunk: Buffer) => client.write(chunk));
    const drop = (): void => {
      this.#pairs.delete(pair);
      client.destroy();
      server.destroy();
    };
    client.on('close', drop);
    server.on('close', drop);
    client.on('error', drop);
    server.on('error', drop);
  }
}
