import { createServer, type Server } from "node:http";

/** A stand-in API endpoint that only counts requests, to prove a command sent none. */
export async function countingServer(): Promise<{ url: string; count: () => number; close: () => Promise<void> }> {
  let requests = 0;
  const server: Server = createServer((_req, res) => {
    requests++;
    res.writeHead(503).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    count: () => requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A kubeconfig whose only cluster is `server`. */
export function kubeconfigFor(server: string): string {
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters: [{name: counted, cluster: {server: " + server + "}}]",
    "users: [{name: nobody, user: {token: not-a-secret}}]",
    "contexts: [{name: counted, context: {cluster: counted, user: nobody}}]",
    "current-context: counted",
    "",
  ].join("\n");
}
