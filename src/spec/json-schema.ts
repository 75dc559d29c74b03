import { z } from "zod";
import { ProcessFile, ProcessSpec } from "./process-spec.ts";

/** JSON Schema of a processes file, generated from the same zod schemas that validate it. */
export function processFileJsonSchema(): Record<string, unknown> {
  const anyShape = z.union([ProcessFile, ProcessSpec, z.array(ProcessSpec)]).meta({
    title: "hpx processes file",
    description: "{processes: [...]}, one Hydroplane process spec, or a list of them",
  });
  return z.toJSONSchema(anyShape, { io: "input", target: "draft-2020-12" }) as Record<string, unknown>;
}
