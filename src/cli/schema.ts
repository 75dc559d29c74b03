import type { Command } from "commander";
import { processFileJsonSchema } from "../spec/json-schema.ts";
import { printJson } from "./output.ts";

export function registerSchema(program: Command): void {
  program
    .command("schema")
    .description("print the JSON Schema of processes files (for editor completion)")
    .action(() => printJson(processFileJsonSchema()));
}
