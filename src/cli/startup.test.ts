import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import { test } from "vitest";
import { DEFAULT_STACK as OPERATIONS_DEFAULT } from "../operations/stack-context.ts";
import { DEFAULT_STACK } from "./options.ts";

test("options.ts's default stack is stack-context.ts's (written out there so --help loads neither zod nor yaml)", () => {
  assert.equal(DEFAULT_STACK, OPERATIONS_DEFAULT);
});

/**
 * The packages a command's definitions must not load: each costs tens to hundreds of
 * milliseconds, and `hpx --help` (and the program every command builds first) needs none
 * of them; commands load theirs when they run (issue 21).
 */
const HEAVY = /node_modules\/(zod|yaml|@inquirer\/[^/]+|@kubernetes\/client-node|@pulumi\/[^/]+|@aws-sdk\/[^/]+|cli-table3|fastify)\//;

test("building the program and printing its help loads none of the heavy packages", () => {
  const program = pathToFileURL(new URL("./program.ts", import.meta.url).pathname).href;
  // A fresh Node process (vitest's own has its modules loaded already), recording every module it loads.
  const script = `
    import { registerHooks } from "node:module";
    const loaded = [];
    registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context); } });
    const { buildProgram } = await import(${JSON.stringify(program)});
    buildProgram().helpInformation();
    for (const c of buildProgram().commands) c.helpInformation();
    process.stdout.write(JSON.stringify(loaded));
  `;
  const out = execFileSync(process.execPath, ["--disable-warning=ExperimentalWarning", "--input-type=module", "-e", script], { encoding: "utf8" });
  const loaded = JSON.parse(out) as string[];
  assert.ok(loaded.some((u) => u.includes("/commander/")), "the hook saw the modules loaded");
  assert.deepEqual(loaded.filter((u) => HEAVY.test(u)), []);
});
