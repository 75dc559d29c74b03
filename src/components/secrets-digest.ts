import { createHmac } from "node:crypto";
import type { V1Secret } from "@kubernetes/client-node";
import { byCodeUnits } from "../code-unit-order.ts";

/** Pod template annotation holding the digest of the values a process's pods read from Secrets. */
export const SECRETS_DIGEST_ANNOTATION = "hpx.dev/secrets-digest";

/**
 * A digest of the Secrets' values, for the pod template: when a value changes in the
 * secret store, the template changes, so `hpx up` rolls the pods (which read env values
 * only when they start) and `hpx preview` shows the process as changed. Keyed (HMAC with
 * a key derived from the stack's passphrase), so the annotation, readable in the cluster
 * and the state, cannot be used to guess a low-entropy value.
 */
export function secretsDigest(secrets: readonly V1Secret[], key: string): string | undefined {
  if (secrets.length === 0) return undefined;
  const hmac = createHmac("sha256", key);
  for (const s of [...secrets].sort((a, b) => byCodeUnits(a.metadata?.name ?? "", b.metadata?.name ?? ""))) {
    const data = s.stringData ?? {};
    hmac.update(JSON.stringify([s.metadata?.name, Object.keys(data).sort().map((k) => [k, data[k]])]));
  }
  return `hmac-sha256:${hmac.digest("hex").slice(0, 32)}`;
}
