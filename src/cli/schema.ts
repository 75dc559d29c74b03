import type { Command } from "commander";
import { printJson } from "./output.ts";

export function registerSchema(program: Command): void {
  program
    .command("schema")
    .description("print the JSON Schema of processes files (for editor completion)")
    // The schema is built from the zod schemas, which only this command needs.
    .action(async () => printJson((await import("../spec/json-schema.ts")).processFileJsonSchema()));
}
