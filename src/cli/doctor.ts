import type { Command } from "commander";
import { interactive } from "./interactive.ts";
import { HpxError } from "../errors.ts";
import { printJson, printLines } from "./output.ts";
import { jsonOption, stackOf, stackOption } from "./options.ts";
import type { CheckResult } from "../cluster/doctor-checks.ts";

function print(results: CheckResult[]): void {
  for (const r of results) {
    printLines(`${r.ok ? "ok  " : "FAIL"} ${r.check}: ${r.detail}`);
    if (!r.ok && r.fix) for (const line of r.fix.split("\n")) printLines(`       ${line}`);
  }
}

/** `hpx doctor`: one line per link of the chain from credentials to RBAC, each failure with its fix. */
export function registerDoctor(program: Command): void {
  program
    .command("doctor")
    .description("check every link from credentials to RBAC, and say how to fix what fails")
    .addOption(stackOption())
    .addOption(jsonOption())
    .action(async (opts: { stack: string; json?: boolean }) => {
      const ctx = await stackOf(opts.stack);
      const { clusterChecks } = await import("../cluster/doctor-checks.ts");
      const { kubeConfigFor } = await import("../cluster/kube-config.ts");
      const { principalArn, unauthorizedAdvice } = await import("../cluster/kube-errors.ts");
      const { clusterAccess } = await import("../operations/stack-target.ts");
      const results: CheckResult[] = [];
      let fix = "check the kubeconfig's user";
      try {
        const access = await clusterAccess(ctx, { startLocal: false, interactive: interactive() });
        if (access.eks) {
          const arn = await access.eks.principal();
          results.push({ check: "AWS caller identity", ok: true, detail: arn });
          results.push({ check: "eks:DescribeCluster", ok: true, detail: `${access.clusterIdentifier}` });
          fix = unauthorizedAdvice(principalArn(arn), access.eks).join("\n");
        }
        results.push(...(await clusterChecks(kubeConfigFor(access), access.namespace, fix)));
      } catch (err) {
        if (!(err instanceof HpxError)) throw err;
        results.push({ check: ctx.settings.runtime.runtime_type === "eks" ? "AWS credentials and cluster" : "cluster access", ok: false, detail: err.message, fix: err.hints.join("\n") || undefined });
      }
      if (opts.json) printJson(results);
      else print(results);
      const failed = results.filter((r) => !r.ok).length;
      if (failed > 0) throw new HpxError(`${failed} check(s) failed`);
    });
}
