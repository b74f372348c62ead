import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";

/** What the proxy was asked to do: a `CONNECT host:port` tunnel or a forwarded absolute URL. */
export interface ProxiedRequest {
  readonly kind: "connect" | "forward";
  /** `host:port` for a tunnel, the absolute URL for a forward. */
  readonly target: string;
  readonly headers: IncomingHttpHeaders;
}

/**
 * An HTTP proxy on 127.0.0.1 (port 0) that tunnels `CONNECT` and forwards absolute-URL requests,
 * recording each. Only loopback targets are served; anything else gets 403.
 */
export class LoopbackProxy {
  readonly seen: ProxiedRequest[] = [];
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();

  private constructor() {
    this.#server = createServer((req, res) => {
      const url = new URL(req.url ?? "");
      this.seen.push({ kind: "forward", target: url.href, headers: req.headers });
      if (url.hostname !== "127.0.0.1") return void res.writeHead(403).end();
      const headers = { ...req.headers };
      delete headers["proxy-authorization"];
      const upstream = httpRequest({ host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method: req.method, headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on("error", () => res.destroy());
      req.pipe(upstream);
    });
    this.#server.on("connect", (req, client: Socket, head: Buffer) => {
      this.seen.push({ kind: "connect", target: req.url ?? "", headers: req.headers });
      const [host, port] = (req.url ?? "").split(":");
      if (host !== "127.0.0.1") return void client.end("HTTP/1.1 403 Forbidden\r\n\r\n");
      const upstream = connect(Number(port), host, () => {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      const close = (): void => {
        upstream.destroy();
        client.destroy();
      };
      upstream.on("error", close);
      client.on("error", close);
      this.#sockets.add(client);
      client.once("close", () => this.#sockets.delete(client));
    });
    this.#server.on("connection", (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once("close", () => this.#sockets.delete(socket));
    });
  }

  static async start(): Promise<LoopbackProxy> {
    const proxy = new LoopbackProxy();
    await new Promise<void>((resolve) => proxy.#server.listen(0, "127.0.0.1", () => resolve()));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** Sets environment variables for the duration of `body`, restoring the previous values after. */
export async function withEnvironment<T>(values: Record<string, string | undefined>, body: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  const apply = (entries: Record<string, string | undefined>): void => {
    for (const [name, value] of Object.entries(entries)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(values);
  try {
    return await body();
  } finally {
    apply(saved);
  }
}
