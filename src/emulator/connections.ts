import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";

/**
 * The HTTP adapter's connection cap. At most `max` TCP connections are open at once. When a new
 * one arrives at the cap, the oldest connection with no request in progress (one that has not
 * sent a complete request head yet, a stalled TLS handshake, or an idle keep-alive connection) is
 * closed to make room, as nginx reuses idle keep-alive connections when it runs out; if every
 * connection is serving a request, the new one is closed instead. So idle or half-open
 * connections can never lock out real requests, and open sockets (file descriptors) stay bounded.
 */
export class ConnectionCap {
  readonly #max: number;
  /** Open connections, oldest first, with the number of requests each is serving. */
  readonly #open = new Map<string, { socket: Socket; busy: number }>();
  #evicted = 0;

  /** @param max - Most connections open at once. */
  constructor(max: number) {
    this.#max = max;
  }

  /** Connections closed to make room (or refused) since the server started. */
  get evicted(): number {
    return this.#evicted;
  }

  /** Number of open connections. */
  get size(): number {
    return this.#open.size;
  }

  /** Tracks the connections and requests of `server` (a `node:http` or `node:https` server). */
  attach(server: Server): void {
    server.on("connection", (socket: Socket) => this.#admit(socket));
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      const entry = this.#open.get(keyOf(req.socket));
      if (entry === undefined) return;
      entry.busy++;
      res.once("close", () => entry.busy--);
    });
  }

  /** Closes every open connection (the server's own `closeAllConnections` misses TLS handshakes in progress). */
  closeAll(): void {
    for (const { socket } of this.#open.values()) socket.destroy();
    this.#open.clear();
  }

  #admit(socket: Socket): void {
    const key = keyOf(socket);
    if (socket.remoteAddress === undefined || this.#open.has(key)) {
      socket.destroy(); // already gone, or not told apart from an open one
      return;
    }
    if (this.#open.size >= this.#max) {
      this.#evicted++;
      const idle = [...this.#open].find(([, entry]) => entry.busy === 0);
      if (idle === undefined) {
        socket.destroy();
        return;
      }
      this.#open.delete(idle[0]);
      idle[1].socket.destroy();
    }
    this.#open.set(key, { socket, busy: 0 });
    socket.once("close", () => {
      if (this.#open.get(key)?.socket === socket) this.#open.delete(key);
    });
  }
}

// The same for a TCP socket and the TLS socket over it, so one table serves HTTP and HTTPS.
function keyOf(socket: Socket): string {
  return `${socket.remoteAddress}|${socket.remotePort}`;
}
