import { Command } from "commander";
import { registerLocal } from "./local.ts";

export function buildProgram(): Command {
  const program = new Command("hpx")
    .description("Declarative process launcher for Kubernetes and Amazon EKS")
    .version("0.1.0")
    .exitOverride()
    .showHelpAfterError();
  registerLocal(program);
  return program;
}
