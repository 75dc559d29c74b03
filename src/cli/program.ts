import { Command } from "commander";
import { registerCancel } from "./cancel.ts";
import { registerCompletion } from "./completion.ts";
import { registerCull } from "./cull.ts";
import { registerServe } from "./serve.ts";
import { registerDoctor } from "./doctor.ts";
import { registerLocal } from "./local.ts";
import { registerLogs } from "./logs.ts";
import { registerLs } from "./ls.ts";
import { registerSchema } from "./schema.ts";
import { registerSecrets } from "./secrets.ts";
import { registerStartStop } from "./start-stop.ts";
import { registerToken } from "./token.ts";
import { registerUp } from "./up.ts";
import { HPX_VERSION } from "../version.ts";

export function buildProgram(): Command {
  const program = new Command("hpx")
    .description("Declarative process launcher for Kubernetes and Amazon EKS")
    .version(HPX_VERSION)
    .exitOverride()
    .showHelpAfterError();
  registerUp(program);
  registerLs(program);
  registerLogs(program);
  registerStartStop(program);
  registerCancel(program);
  registerCull(program);
  registerServe(program);
  registerCompletion(program);
  registerSchema(program);
  registerToken(program);
  registerSecrets(program);
  registerDoctor(program);
  registerLocal(program);
  return program;
}
