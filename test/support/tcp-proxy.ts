import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy to a database that a test can take down and bring back on the same port: what a
 * replica sees when the database restarts, fails over or is unreachable.
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  private constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  /** A proxy on a free port, down until `up()`. */
  static async to(url: string): Promise<TcpProxy> {
    const { hostname, port } = new URL(url);
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const free = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    return new TcpProxy(free, { host: hostname, port: Number(port) });
  }

  /** The URL with the proxy in place of the database's address. */
  url(of: string): string {
    const url = new URL(of);
    url.host = `127.0.0.1:${this.port}`;
    return url.toString();
  }

  async up(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.server = server;
  }

  /**
   * Stops moving bytes on the open connections without closing them: a database that froze, or
   * a network that drops packets. `thaw` moves them again.
   */
  freeze(): void {
    for (const socket of this.sockets) socket.pause();
  }

  thaw(): void {
    for (const socket of this.sockets) socket.resume();
  }

  /** Refuses new connections and cuts the open ones. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server !== undefined) await new Promise((resolve) => server.close(resolve));
  }
}
