import assert from "node:assert/strict";
import { test } from "vitest";
import { compareDigests, inSync, type LiveMark } from "./drift.ts";

const web = { "Deployment/web": "d1", "Service/web": "s1" };
const db = { "Deployment/db": "d2", "Service/db": "s2", "Secret/db-env": "x2" };
const live = (objects: Record<string, string>): LiveMark[] => Object.entries(objects).map(([key, applied]) => ({ key, applied, owned: true }));

test("the cluster holds what the record says and the file asks nothing new: in sync", () => {
  const drift = compareDigests({ web, db }, { web, db }, live({ ...web, ...db }));
  assert.deepEqual(drift, { changed: [], removed: [], stale: [], orphans: [] });
  assert.equal(inSync(drift), true);
});

test("a changed, a new and a removed process", () => {
  const drift = compareDigests({ web: { ...web, "Deployment/web": "d9" }, api: { "Deployment/api": "a" } }, { web, db }, live({ ...web, ...db }));
  assert.deepEqual(drift, { changed: ["api", "web"], removed: ["db"], stale: [], orphans: [] });
});

test("an object a killed update changed or deleted is stale, and its process must be applied again", () => {
  const drift = compareDigests({ web, db }, { web, db }, live({ ...web, "Deployment/db": "d-new", "Service/db": "s2" }));
  assert.deepEqual(drift, { changed: ["db"], removed: [], stale: ["Deployment/db", "Secret/db-env"], orphans: [] });
  assert.equal(inSync(drift), false);
});

test("a process's object the file no longer makes changes the process", () => {
  const { "Secret/db-env": _, ...dbWithoutSecret } = db;
  assert.deepEqual(compareDigests({ web, db: dbWithoutSecret }, { web, db }, live({ ...web, ...db })).changed, ["db"]);
});

test("objects of this stack nobody knows are orphans; another stack's or unmarked ones are not", () => {
  const others: LiveMark[] = [
    { key: "Deployment/old", applied: "o", owned: true },
    { key: "Deployment/theirs", applied: "t", owned: false },
    { key: "Service/manual", applied: undefined, owned: false },
  ];
  assert.deepEqual(compareDigests({ web }, { web }, [...live(web), ...others]).orphans, ["Deployment/old"]);
});

test("an object created by a killed update for a process still wanted is not an orphan: applying it converges", () => {
  const drift = compareDigests({ web, db }, { web }, live({ ...web, "Deployment/db": "d2" }));
  assert.deepEqual(drift, { changed: ["db"], removed: [], stale: [], orphans: [] });
});
