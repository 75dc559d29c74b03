import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "vitest";
import { byCodeUnits } from "./code-unit-order.ts";

test("orders by code units: upper case before lower, '_' between them, 'aa' before 'z'", () => {
  assert.deepEqual(["zz", "aab", "a_b", "aB", "ab", "Aa"].sort(byCodeUnits), ["Aa", "aB", "a_b", "aab", "ab", "zz"]);
  assert.equal(byCodeUnits("x", "x"), 0);
});

/** The applied digests of a process whose node selector's keys sort apart in Danish, computed by a Node.js running in `locale`. */
function digestsIn(locale: string): string {
  const script = `
    import { markedProcess, appliedDigests } from ${JSON.stringify(new URL("./components/marked-objects.ts", import.meta.url).pathname)};
    import { stackMark } from ${JSON.stringify(new URL("./components/stack-mark.ts", import.meta.url).pathname)};
    import { ProcessSpec } from ${JSON.stringify(new URL("./spec/process-spec.ts", import.meta.url).pathname)};
    const spec = ProcessSpec.parse({ process_name: "web", has_public_ip: false,
      container: { image_uri: "nginx", node_selector: { zone: "z", aardvark: "a" }, env: [{ name: "A", value: { secret_name: "aa" } }, { name: "Z", value: { secret_name: "zz" } }] } });
    const m = markedProcess(spec, { namespace: "ns", secrets: (s) => s.secret_name, mark: stackMark("prod", "0123456789abcdef0123456789abcdef", "ns"), digestKey: "k" });
    console.log(Intl.Collator().resolvedOptions().locale, JSON.stringify(appliedDigests(m)));`;
  return execFileSync(process.execPath, ["--input-type=module", "-e", script], { env: { ...process.env, LANG: locale, LC_ALL: locale }, encoding: "utf8" }).trim();
}

test("the objects' digests are the same in a Danish and an English locale (where localeCompare puts 'aa' after 'z')", () => {
  assert.deepEqual(["zz", "aa"].sort((a, b) => a.localeCompare(b, "da")), ["zz", "aa"]);
  const danish = digestsIn("da_DK.UTF-8");
  const english = digestsIn("en_US.UTF-8");
  assert.match(danish, /^da-DK \{/);
  assert.match(english, /^en-US \{/);
  assert.equal(danish.slice("da-DK ".length), english.slice("en-US ".length));
});
