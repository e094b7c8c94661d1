import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createConnection } from "node:net";

const NATIONS = ["DEU", "FRA", "POL", "NOR", "BEL"];

/** A plausible pipeline decision; `i` varies every field so no two entries are alike. */
export function sampleEntry(i: number, nation = NATIONS[i % NATIONS.length] as string) {
  const sha = (s: string) => createHash("sha256").update(s).digest("hex");
  const deny = i % 7 === 3;
  return {
    time: new Date(Date.UTC(2026, 10, 25, 10, 0, 0, i)).toISOString(),
    nation,
    subject: `analyst-${i % 13}@${nation.toLowerCase()}`,
    action: i % 3 === 0 ? "chat" : "workloads.detect",
    decision: deny ? "deny" : "allow",
    reason: deny ? "prohibited_use" : "ok",
    policy_version: "sha256:" + sha("policy").slice(0, 16),
    endpoint: deny ? null : "eu-vllm",
    jurisdiction: deny ? null : "DEU",
    request_sha256: sha(`request ${i}`),
    response_sha256: deny ? null : sha(`response ${i}`),
  };
}

export function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `concord-audit-${tag}-`));
}

export const PG_URL = process.env.CONCORD_TEST_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/test";

/** True when something listens on PostgreSQL's port (probed with a short timeout). */
export function postgresReachable(timeoutMs = 500): Promise<boolean> {
  const { hostname, port } = new URL(PG_URL);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 5432) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

export function uniquePrefix(tag: string): string {
  return `t_${tag}_${process.pid}_${Date.now().toString(36)}`;
}
