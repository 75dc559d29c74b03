/**
 * Whether processes this run did not change are still rolled out, from the Deployments'
 * rows as `kubectl get deployments` asks for them: the API server's Table with its
 * columns (ready, up to date, available) and no objects. At 1,000 Deployments the Table
 * is 0.3 MB where the Deployments are 6.7 MB of JSON (their managed fields), and the API
 * server sends it about four times as fast.
 *
 * A row has no generations, so it cannot say whether the Deployment controller has seen
 * the latest spec. That is why only processes whose objects this run left as they were are
 * read from it: their last spec change was an earlier run's. With one replica and
 * `Recreate` (build-workload.ts), a Deployment shows 1/1 ready, 1 up to date and 1
 * available only once the new pod is available: the old one stops counting as ready as
 * soon as it is deleted, before the new one is created.
 */
import { MANAGED_BY_SELECTOR } from "./process-info.ts";
import type { JsonGet } from "./kube-get.ts";

/** Accept header asking for a list as the API server's Table (what `kubectl get` asks for). */
export const TABLE_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io";

/** One Deployment's row: its replicas, as the Table's columns give them. */
export interface RolloutRow {
  /** Pods ready, of the replicas wanted ("1/1": 1 of 1). */
  ready: number;
  wanted: number;
  upToDate: number;
  available: number;
}

interface Table {
  kind?: string;
  columnDefinitions?: { name?: string }[];
  rows?: { cells?: unknown[] }[];
}

/**
 * The rows of a Table of Deployments, by name (a process's Deployment is named after it);
 * undefined when the answer is not a Table with the columns read here (an API server that
 * ignored the Accept header, or printed other columns), so the caller looks the full way.
 */
export function parseRolloutTable(answer: unknown): Map<string, RolloutRow> | undefined {
  const table = answer as Table;
  if (table?.kind !== "Table" || !Array.isArray(table.columnDefinitions) || !Array.isArray(table.rows)) return undefined;
  const column = (name: string) => table.columnDefinitions!.findIndex((c) => c.name === name);
  const [name, ready, upToDate, available] = ["Name", "Ready", "Up-to-date", "Available"].map(column) as [number, number, number, number];
  if ([name, ready, upToDate, available].includes(-1)) return undefined;
  const rows = new Map<string, RolloutRow>();
  for (const { cells } of table.rows) {
    const [readyNow, wanted] = String(cells?.[ready] ?? "").split("/").map(Number);
    const row = { ready: readyNow, wanted, upToDate: Number(cells?.[upToDate]), available: Number(cells?.[available]) };
    if (typeof cells?.[name] !== "string" || !Object.values(row).every(Number.isInteger)) return undefined;
    rows.set(cells[name] as string, row as RolloutRow);
  }
  return rows;
}

/** Lists the rows of hpx's Deployments in `namespace`, without their objects. */
export async function listRolloutRows(get: JsonGet, namespace: string): Promise<Map<string, RolloutRow> | undefined> {
  const selector = encodeURIComponent(MANAGED_BY_SELECTOR);
  return parseRolloutTable(await get(`/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments?labelSelector=${selector}&includeObject=None`, TABLE_ACCEPT));
}

/** Whether a row says its Deployment is rolled out: every wanted replica ready, up to date and available. */
export function rowRolledOut(row: RolloutRow | undefined): boolean {
  return row !== undefined && row.ready >= row.wanted && row.upToDate >= row.wanted && row.available >= row.wanted;
}
