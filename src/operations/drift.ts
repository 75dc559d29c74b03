import type { Digests, ObjectKey } from "../components/marked-objects.ts";

export type { Digests };

/** What one listing of the namespace found of an object: whether it is this stack's, and its digest. */
export interface LiveMark {
  key: string;
  /** This stack's own (cluster/ownership.ts `ownedBy`). */
  owned: boolean;
  /** Its `hpx.dev/applied` digest, if any. */
  applied: string | undefined;
}

/** How the desired state, the state's record and the cluster differ. */
export interface Drift {
  /** Processes an update must apply: new, changed, or with an object the cluster does not hold as recorded. */
  changed: string[];
  /** Recorded processes the desired state no longer lists. */
  removed: string[];
  /**
   * Recorded objects the cluster does not hold as recorded (missing, or another digest): an
   * update killed after applying them, before recording them, or a change outside hpx.
   */
  stale: ObjectKey[];
  /** Objects marked as this stack's that neither the record nor the desired state knows. */
  orphans: ObjectKey[];
}

/**
 * Compares what hpx would apply, what the last update recorded and what the cluster
 * holds; pure. The record is read from the state's resources (state-record.ts), so
 * "live equals recorded" means the state describes the cluster.
 */
export function compareDigests(desired: Digests, recorded: Digests, live: readonly LiveMark[]): Drift {
  const liveByKey = new Map(live.map((o) => [o.key, o]));
  const stale = Object.values(recorded)
    .flatMap((objects) => Object.entries(objects))
    .filter(([key, digest]) => liveByKey.get(key)?.applied !== digest)
    .map(([key]) => key as ObjectKey);
  const staleSet = new Set<string>(stale);
  const changed = Object.keys(desired).filter((process) => {
    const want = desired[process]!;
    const had = recorded[process];
    if (!had) return true;
    const keys = new Set([...Object.keys(want), ...Object.keys(had)]);
    return [...keys].some((k) => want[k] !== had[k] || staleSet.has(k));
  });
  const removed = Object.keys(recorded).filter((p) => !(p in desired));
  const known = new Set([...Object.values(recorded), ...Object.values(desired)].flatMap((o) => Object.keys(o)));
  const orphans = live.filter((o) => o.owned && !known.has(o.key)).map((o) => o.key as ObjectKey);
  return { changed: changed.sort(), removed: removed.sort(), stale: stale.sort(), orphans: orphans.sort() };
}

/** True when the cluster already holds exactly the desired state, as recorded. */
export function inSync(drift: Drift): boolean {
  return drift.changed.length === 0 && drift.removed.length === 0 && drift.stale.length === 0;
}
