import { createConnection, createServer, type Server, type Socket } from "node:net";

/** How the proxy treats connections: pass them on (optionally slowly), or cut them. */
export interface ProxyMode {
  /** Delay of every chunk, each way, in ms. */
  delayMs?: number;
  /** Close every connection as soon as it opens. */
  drop?: boolean;
}

/**
 * A loopback TCP proxy in front of a server, for faults between hpx and the API server:
 * slow links and dropped connections. The mode can change while it runs.
 */
export async function startProxy(target: { host: string; port: number }, mode: ProxyMode = {}): Promise<{ port: number; mode: ProxyMode; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const state = { mode };
  // Each direction keeps its order, and an end is passed on after the chunks still delayed:
  // a slow link delivers every byte (a server that closes after its answer, as it does
  // for a client without keep-alive, must not lose the answer's tail).
  const pipe = (from: Socket, to: Socket) => {
    let flushed = Promise.resolve();
    from.on("data", (chunk: Buffer) => {
      const delay = state.mode.delayMs ?? 0;
      if (delay > 0) {
        from.pause();
        flushed = new Promise((r) =>
          setTimeout(() => {
            to.write(chunk);
            from.resume();
            r();
          }, delay),
        );
      } else to.write(chunk);
    });
    from.on("end", () => void flushed.then(() => to.end()));
  };
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    if (state.mode.drop) return void client.destroy();
    const upstream = createConnection(target);
    sockets.add(upstream);
    upstream.on("close", () => sockets.delete(upstream));
    pipe(client, upstream);
    pipe(upstream, client);
    const fail = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", fail);
    upstream.on("error", fail);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as { port: number }).port,
    get mode() {
      return state.mode;
    },
    set mode(m: ProxyMode) {
      state.mode = m;
    },
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
