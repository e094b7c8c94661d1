/**
 * The gateway's structured log: JSON lines. Callers pass fields they chose; nothing here serialises a request,
 * so tokens, keys and prompt text cannot reach the log by accident.
 */
export interface Logger {
  info(fields: Record<string, unknown>, msg: string): void;
  warn(fields: Record<string, unknown>, msg: string): void;
  error(fields: Record<string, unknown>, msg: string): void;
}

export function jsonLogger(write: (line: string) => void = (l) => process.stderr.write(l), level: "info" | "warn" | "error" | "silent" = "info"): Logger {
  const rank = { info: 0, warn: 1, error: 2, silent: 3 } as const;
  const emit = (lvl: "info" | "warn" | "error") => (fields: Record<string, unknown>, msg: string) => {
    if (rank[lvl] < rank[level]) return;
    write(JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...fields }) + "\n");
  };
  return { info: emit("info"), warn: emit("warn"), error: emit("error") };
}

export const silentLogger: Logger = jsonLogger(() => {}, "silent");
