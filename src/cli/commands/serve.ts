import type { Command } from "commander";

export function register(program: Command): void {
  program.command("serve").description("(being built in this session)").action(() => {
    throw new Error("concord serve is being built");
  });
}
