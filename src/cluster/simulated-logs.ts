import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";

/**
 * What processes "print" on the local simulated cluster. Nothing runs there, so kwok serves
 * each container's log from a file (its `ClusterLogs` configuration, matched by container
 * name, which is the process name); `hpx local up` writes these files and that configuration.
 */

/** Lines of the demo's processes (examples/three-processes.yml), by process name. */
export const DEMO_LOGS: Readonly<Record<string, readonly string[]>> = {
  web: [
    "/docker-entrypoint.sh: Configuration complete; ready for start up",
    "nginx: [notice] using the \"epoll\" event method",
    "nginx: [notice] start worker processes",
    "10.0.0.1 - - \"GET / HTTP/1.1\" 200 7234 \"-\" \"curl/8.5.0\"",
    "10.0.0.1 - - \"GET /favicon.ico HTTP/1.1\" 404 153 \"-\" \"curl/8.5.0\"",
  ],
  dns: [
    ".:53",
    "CoreDNS-1.11.1",
    "linux/amd64, go1.20.7, ae2bbc2",
    "[INFO] 127.0.0.1:53012 - 4203 \"A IN example.org. udp 29 false 512\" NOERROR qr,rd 56 0.000112s",
  ],
  batch: ["Mon Nov 30 09:00:00 UTC 2026", "Mon Nov 30 09:01:00 UTC 2026", "Mon Nov 30 09:02:00 UTC 2026"],
};

/** Lines of any other process. */
export const DEFAULT_LOG: readonly string[] = [
  "started (simulated by kwok on hpx's local cluster: no container runs)",
  "ready",
  "working: step 1 of 3",
  "working: step 2 of 3",
  "working: step 3 of 3",
];

/** Lines of a process's previous run (`hpx logs --previous`). */
export const PREVIOUS_LOG: readonly string[] = ["started (previous run, simulated)", "exiting with code 1 (previous run, simulated)"];

/**
 * Lines in the CRI log format kubelets read (`<RFC 3339 time> stdout F <text>`), one second
 * apart and ending at `end`, so `--since` and timestamps behave as on a real node.
 */
export function criLog(lines: readonly string[], end: Date): string {
  return lines.map((text, i) => `${new Date(end.getTime() - (lines.length - 1 - i) * 1000).toISOString()} stdout F ${text}\n`).join("");
}

/** kwok's ClusterLogs object: each demo process its own file, every other container the default. */
export function clusterLogsConfig(files: { byContainer: Record<string, string>; default: string; previous: string }): string {
  const logs = [
    ...Object.entries(files.byContainer).map(([name, logsFile]) => ({ containers: [name], logsFile, previousLogsFile: files.previous })),
    { logsFile: files.default, previousLogsFile: files.previous },
  ];
  return stringify({ apiVersion: "kwok.x-k8s.io/v1alpha1", kind: "ClusterLogs", metadata: { name: "hpx-simulated-logs" }, spec: { logs } });
}

/** Writes the log files and the ClusterLogs configuration under `dir`; returns the configuration's path. */
export function writeSimulatedLogs(dir: string, now = new Date()): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const write = (name: string, lines: readonly string[]): string => {
    const file = join(dir, `${name}.log`);
    writeFileSync(file, criLog(lines, now));
    return file;
  };
  const byContainer = Object.fromEntries(Object.entries(DEMO_LOGS).map(([name, lines]) => [name, write(name, lines)]));
  const config = join(dir, "cluster-logs.yaml");
  writeFileSync(config, clusterLogsConfig({ byContainer, default: write("default", DEFAULT_LOG), previous: write("previous", PREVIOUS_LOG) }));
  return config;
}
