import type { Command } from "commander";

export function register(program: Command): void {
  program.command("token").description("(being built in this session)").action(() => {
    throw new Error("concord token is being built");
  });
}
