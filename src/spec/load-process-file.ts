import { readFileSync, statSync } from "node:fs";
import { z } from "zod";
import { SpecError, type SpecIssue } from "../errors.ts";
import { ContainerSpec, EnvVar, PortSpec, ProcessFile, ProcessSpec, ResourceSpec, SecretRef } from "./process-spec.ts";
import { crossFieldIssues, withHydroplaneDefaults } from "./rules.ts";
import { parseYamlSource, quickYamlSource, type YamlSource } from "./yaml-source.ts";
import { locatedIssues, sortIssues, type KeysAt } from "./zod-issues.ts";

type Path = (string | number)[];
const keys = (schema: { shape: object }): string[] => Object.keys(schema.shape);

const PROCESS_KEYS = keys(ProcessSpec);
const CONTAINER_KEYS = keys(ContainerSpec);

/** Which keys each level allows, so an unknown key gets a useful hint. */
const keysAt: KeysAt = (path): ReturnType<KeysAt> => {
  const named = path.filter((p) => typeof p === "string");
  const last = named[named.length - 1];
  if (last === undefined || last === "processes") {
    // A file's top level may be one spec or {processes: [...]}: hint toward either.
    if (path.length === 0) return { allowed: [...PROCESS_KEYS, ...keys(ProcessFile)], nested: { container: CONTAINER_KEYS } };
    return typeof path[path.length - 1] === "number"
      ? { allowed: PROCESS_KEYS, nested: { container: CONTAINER_KEYS } }
      : { allowed: keys(ProcessFile), nested: { "processes.N": PROCESS_KEYS } };
  }
  switch (last) {
    case "container":
      return { allowed: CONTAINER_KEYS, nested: {} };
    case "ports":
      return { allowed: keys(PortSpec), nested: {} };
    case "env":
      return { allowed: keys(EnvVar), nested: {} };
    case "resource_request":
    case "resource_limit":
      return { allowed: keys(ResourceSpec), nested: {} };
    case "value":
    case "username":
    case "password":
      return { allowed: keys(SecretRef), nested: {} };
    default:
      return undefined;
  }
};

/** The three accepted shapes, normalised to `{processes: [...]}` with a way back to the user's paths. */
function normalise(data: unknown): { value: unknown; toUserPath: (p: Path) => Path } {
  if (Array.isArray(data)) return { value: { processes: data }, toUserPath: (p) => p.slice(1) };
  if (data !== null && typeof data === "object" && "processes" in data) return { value: data, toUserPath: (p) => p };
  // One Hydroplane spec object, e.g. examples/nginx.json.
  return { value: { processes: [data] }, toUserPath: (p) => p.slice(2) };
}

/** How strict parsing is about keys the spec does not have. */
export interface ParseOptions {
  /**
   * "error" (default: files given to hpx up, preview, start) or "warn": dropped and
   * reported in `warnings`, as Hydroplane's model ignores them (hpx serve's requests).
   */
  unknownKeys?: "error" | "warn";
}

/** A parsed processes file, which can still say where each field was written. */
export interface ProcessSource {
  file: string;
  processes: ProcessSpec[];
  /** With `unknownKeys: "warn"`: each key that was dropped, located, with its "did you mean". */
  warnings: SpecIssue[];
  /**
   * Where process `name`'s field at `path` (as in the parsed spec) was written, for
   * problems found after parsing, such as a secret the store lacks; undefined for a
   * process this source does not hold.
   */
  locate(name: string, path: readonly (string | number)[]): { line: number; col: number; path: string } | undefined;
}

/** The input without the keys the schema does not know, and zod's issues naming them (undefined: none). */
function withoutUnknownKeys(value: unknown): { value: unknown; ignored: z.ZodError | undefined } {
  const first = ProcessFile.safeParse(value);
  const unknown = first.success ? [] : first.error.issues.filter((i) => i.code === "unrecognized_keys");
  if (unknown.length === 0) return { value, ignored: undefined };
  const copy = structuredClone(value);
  for (const issue of unknown) {
    let at: unknown = copy;
    for (const step of issue.path) at = (at as Record<PropertyKey, unknown>)[step];
    for (const key of issue.keys) delete (at as Record<string, unknown>)[key];
  }
  return { value: copy, ignored: new z.ZodError(unknown) };
}

/**
 * Parses a processes file: YAML or JSON; one Hydroplane spec, a list of them, or
 * `{processes: [...]}`. Every problem is reported at once, located, in one SpecError.
 */
export function parseProcessText(text: string, file: string): ProcessSpec[] {
  return parseProcessSource(text, file).processes;
}

/**
 * {@link parseProcessText}, keeping the positions. A file js-yaml reads and that is valid
 * is taken as it is; any problem, or a file js-yaml may read otherwise, is read by `yaml`
 * (yaml-source.ts), so every message is `yaml`'s and located as it always was.
 */
export function parseProcessSource(text: string, file: string, opts: ParseOptions = {}): ProcessSource {
  const quick = quickYamlSource(text, file);
  if (quick) {
    try {
      const parsed = fromSource(quick, file, opts);
      if (parsed.warnings.length === 0) return parsed;
    } catch (err) {
      if (!(err instanceof SpecError)) throw err;
    }
  }
  return fromSource(parseYamlSource(text, file), file, opts);
}

function fromSource(source: YamlSource, file: string, opts: ParseOptions): ProcessSource {
  if (source.syntaxIssues.length > 0) throw new SpecError(source.syntaxIssues);
  if (source.data === undefined || source.data === null) {
    throw new SpecError([{ file, line: 1, col: 1, path: "", message: "the file is empty: expected a process spec, a list of them, or {processes: [...]}" }]);
  }
  const { value: written, toUserPath } = normalise(source.data);
  const { value, ignored } = opts.unknownKeys === "warn" ? withoutUnknownKeys(written) : { value: written, ignored: undefined };
  const warnings = ignored ? locatedIssues(ignored, source, written, toUserPath, keysAt) : [];
  const parsed = ProcessFile.safeParse(value, { reportInput: true });
  const issues: SpecIssue[] = parsed.success ? [] : locatedIssues(parsed.error, source, value, toUserPath, keysAt);
  // Cross-field rules run on every process whose own fields are valid, so one pass reports everything.
  const raw = (value as { processes?: unknown }).processes;
  const valid = parsed.success
    ? parsed.data.processes.map((spec, index) => ({ index, spec }))
    : (Array.isArray(raw) ? raw : []).flatMap((p, index) => {
        const one = ProcessSpec.safeParse(p);
        return one.success ? [{ index, spec: one.data }] : [];
      });
  for (const r of crossFieldIssues(valid)) {
    const path = toUserPath(["processes", ...r.path]);
    issues.push({ file, ...source.locate(path), path: path.join("."), message: r.message });
  }
  if (issues.length > 0 || !parsed.success) throw new SpecError(sortIssues(issues));
  const processes = parsed.data.processes.map(withHydroplaneDefaults);
  return {
    file,
    processes,
    warnings: sortIssues(warnings),
    locate: (name, path) => {
      const index = processes.findIndex((p) => p.process_name === name);
      if (index < 0) return undefined;
      const userPath = toUserPath(["processes", index, ...path]);
      return { ...source.locate(userPath), path: userPath.join(".") };
    },
  };
}

/** Processes files larger than this are refused before they are read (thousands of processes fit in far less). */
export const MAX_PROCESS_FILE_BYTES = 10 * 1024 * 1024;

export function loadProcessFile(file: string): ProcessSpec[] {
  return readProcessFile(file).processes;
}

/** Reads and parses a processes file ({@link parseProcessSource}); an unreadable or too large file is a located problem too. */
export function readProcessFile(file: string): ProcessSource {
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > MAX_PROCESS_FILE_BYTES) {
      throw new SpecError([{ file, line: 1, col: 1, path: "", message: `the file is ${(size / 1048576).toFixed(1)} MiB: hpx reads processes files of at most 10 MiB` }]);
    }
    text = readFileSync(file, "utf8");
  } catch (err) {
    if (err instanceof SpecError) throw err;
    const reason = (err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message;
    throw new SpecError([{ file, line: 1, col: 1, path: "", message: `cannot read the file: ${reason}` }]);
  }
  return parseProcessSource(text, file);
}
