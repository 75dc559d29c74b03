/**
 * The HTTP requests Hydroplane's `hpctl` sends, byte for byte where it matters: its
 * `requests` session's headers, and for `start` the spec file's JSON re-encoded by
 * `requests`' `json=` (Python's json.dumps: ", " and ": " separators, non-ASCII escaped).
 */
const HEADERS = { "user-agent": "python-requests/2.28.2", "accept-encoding": "gzip, deflate", accept: "*/*", connection: "keep-alive" };

/** Python's `json.dumps(value)` with its default arguments. */
export function pythonJson(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(", ")}]`;
  if (typeof value === "object") return `{${Object.entries(value as object).map(([k, v]) => `${pythonJson(k)}: ${pythonJson(v)}`).join(", ")}}`;
  if (typeof value === "string") return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return JSON.stringify(value);
}

export interface HpctlAnswer {
  status: number;
  json: unknown;
  headers: Headers;
}

async function send(url: string, method: string, path: string, body?: string): Promise<HpctlAnswer> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: body === undefined ? HEADERS : { ...HEADERS, "content-type": "application/json" },
    ...(body === undefined ? {} : { body }),
  });
  const text = await res.text();
  return { status: res.status, json: text === "" ? undefined : JSON.parse(text), headers: res.headers };
}

/** `hpctl start FILE` (the file's JSON, parsed and re-encoded as requests does). */
export const hpctlStart = (url: string, spec: unknown) => send(url, "POST", "/process", pythonJson(spec));
/** `hpctl stop NAME`. */
export const hpctlStop = (url: string, name: string) => send(url, "DELETE", `/process/${name}`);
/** `hpctl stop -g GROUP`. */
export const hpctlStopGroup = (url: string, group: string) => send(url, "DELETE", `/group/${group}`);
/** `hpctl list [-g GROUP]`. */
export const hpctlList = (url: string, group?: string) => send(url, "GET", group === undefined ? "/process" : `/group/${group}`);
/** A body as it is (a malformed one, which hpctl could not send, but other clients can). */
export const postRaw = (url: string, body: string) => send(url, "POST", "/process", body);
