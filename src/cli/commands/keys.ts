import type { Command } from "commander";

export function register(program: Command): void {
  program.command("keys").description("(being built in this session)").action(() => {
    throw new Error("concord keys is being built");
  });
}
