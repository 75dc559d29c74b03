import type { Command } from "commander";
import { UsageError } from "../errors.ts";
import { hpxHome } from "../paths.ts";
import { complete, fileSources } from "./complete.ts";

/** The shell side: each asks `hpx __complete WORDS...` for the candidates of the last word. */
export const SCRIPTS: Record<string, string> = {
  bash: `# hpx completion for bash: source <(hpx completion bash)
_hpx() {
  local IFS=$'\\n'
  COMPREPLY=($(hpx __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _hpx hpx
`,
  zsh: `#compdef hpx
# hpx completion for zsh: source <(hpx completion zsh)
_hpx() {
  local -a candidates
  candidates=("\${(@f)$(hpx __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  compadd -- $candidates
}
compdef _hpx hpx
`,
  fish: `# hpx completion for fish: hpx completion fish | source
complete -c hpx -f -a '(hpx __complete (commandline -opc)[2..-1] (commandline -ct))'
`,
};

/** `hpx completion SHELL` and the hidden `hpx __complete` it calls. */
export function registerCompletion(program: Command): void {
  program
    .command("completion <shell>")
    .description("print the shell completion script: bash, zsh or fish (e.g. source <(hpx completion bash))")
    .action((shell: string) => {
      const script = SCRIPTS[shell];
      if (!script) throw new UsageError(`completion: expected bash, zsh or fish, got ${JSON.stringify(shell)}`);
      process.stdout.write(script);
    });
  program
    .command("__complete", { hidden: true })
    .argument("[words...]")
    .allowUnknownOption()
    .helpOption(false)
    .action((words: string[]) => {
      const out = complete(program, words.length > 0 ? words : [""], fileSources(process.cwd(), hpxHome()));
      if (out.length > 0) process.stdout.write(`${out.join("\n")}\n`);
    });
}
