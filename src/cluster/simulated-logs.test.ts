import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "vitest";
import { parse } from "yaml";
import { DEFAULT_LOG, DEMO_LOGS, PREVIOUS_LOG, clusterLogsConfig, criLog, writeSimulatedLogs } from "./simulated-logs.ts";

test("criLog: the CRI log format kubelets read, one second apart, ending at the given time", () => {
  assert.equal(
    criLog(["a", "b c"], new Date("2026-11-30T10:00:00.000Z")),
    "2026-11-30T09:59:59.000Z stdout F a\n2026-11-30T10:00:00.000Z stdout F b c\n",
  );
});

test("clusterLogsConfig: each demo process its own file, the default last (kwok picks it for any other container)", () => {
  const config = parse(clusterLogsConfig({ byContainer: { web: "/l/web.log" }, default: "/l/default.log", previous: "/l/previous.log" }));
  assert.deepEqual(config, {
    apiVersion: "kwok.x-k8s.io/v1alpha1",
    kind: "ClusterLogs",
    metadata: { name: "hpx-simulated-logs" },
    spec: {
      logs: [
        { containers: ["web"], logsFile: "/l/web.log", previousLogsFile: "/l/previous.log" },
        { logsFile: "/l/default.log", previousLogsFile: "/l/previous.log" },
      ],
    },
  });
});

test("writeSimulatedLogs: the demo's processes, the default and the previous run, and the configuration naming them", () => {
  const dir = mkdtempSync(join(tmpdir(), "hpx-simulated-logs-"));
  try {
    const now = new Date("2026-11-30T10:00:00.000Z");
    const config = parse(readFileSync(writeSimulatedLogs(dir, now), "utf8"));
    assert.deepEqual(
      config.spec.logs.map((l: { containers?: string[]; logsFile: string }) => [l.containers?.[0], l.logsFile]),
      [["web", join(dir, "web.log")], ["dns", join(dir, "dns.log")], ["batch", join(dir, "batch.log")], [undefined, join(dir, "default.log")]],
    );
    assert.equal(readFileSync(join(dir, "web.log"), "utf8"), criLog(DEMO_LOGS.web!, now));
    assert.equal(readFileSync(join(dir, "default.log"), "utf8"), criLog(DEFAULT_LOG, now));
    assert.equal(readFileSync(join(dir, "previous.log"), "utf8"), criLog(PREVIOUS_LOG, now));
  } finally {
    rmSync(dir, { recursive: true });
  }
});
