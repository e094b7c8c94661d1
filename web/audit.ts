/**
 * The audit island: verifies, in this browser and with the key in the field (which the auditor compares with
 * the key their nation pinned), the checkpoint signature, the entry's inclusion, and that a checkpoint kept
 * earlier is a prefix of the current one. Results are announced in the status region.
 */
import { fromB64, openCheckpoint, parseVerifierKey, rootFromInclusion, toB64, verifyConsistency, verifyInclusion } from "./verify.ts";

const section = document.getElementById("verify") as HTMLElement | null;
const live = document.getElementById("live");
const text = (id: string) => document.getElementById(id)?.textContent ?? "";
const value = (id: string) => (document.getElementById(id) as HTMLInputElement | HTMLTextAreaElement | null)?.value ?? "";

function show(id: string, ok: boolean, message: string): void {
  const el = document.getElementById(id);
  if (!el) return;
  el.textContent = message;
  el.className = `result ${ok ? "flash" : "error"}`;
  el.dataset["state"] = ok ? "verified" : "failed";
  if (live) live.textContent = message;
}

const fill = (template: string, vars: Record<string, string | number>) => template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));

async function inclusion(): Promise<void> {
  const d = section!.dataset;
  const index = Number(d["index"]);
  const hashes = [...document.querySelectorAll("#path code")].map((c) => c.textContent ?? "");
  try {
    let size: number;
    const entry = text("entry-json");
    if (entry) {
      size = (await verifyInclusion({ key: value("vkey"), checkpoint: text("checkpoint"), index, entry: JSON.parse(entry), hashes })).size;
    } else {
      // Another nation's entry: only its leaf hash is shown, so the path is checked from that hash.
      const cp = await openCheckpoint(text("checkpoint"), await parseVerifierKey(value("vkey")));
      const root = await rootFromInclusion(index, cp.size, fromB64(d["leaf"] ?? ""), hashes.map(fromB64));
      if (!root || toB64(root) !== toB64(cp.root)) throw new Error(`entry ${index} is not included in the signed tree`);
      size = cp.size;
    }
    show("inclusion-result", true, fill(d["okInclusion"] ?? "", { size }));
  } catch (err) {
    show("inclusion-result", false, fill(d["failed"] ?? "{message}", { message: (err as Error).message }));
  }
}

async function consistency(): Promise<void> {
  const d = section!.dataset;
  try {
    const vk = await parseVerifierKey(value("vkey"));
    const older = value("older").replace(/\r\n/g, "\n").trim() + "\n";
    const from = await openCheckpoint(older, vk);
    const to = await openCheckpoint(text("checkpoint"), vk);
    const res = await fetch(`/console/audit-consistency?from=${from.size}&to=${to.size}`, { headers: { accept: "application/json" } });
    const body = (await res.json()) as { hashes?: string[]; error?: { message?: string } };
    if (!res.ok || !body.hashes) throw new Error(body.error?.message ?? `HTTP ${res.status}`);
    await verifyConsistency({ key: value("vkey"), older, newer: text("checkpoint"), hashes: body.hashes });
    show("consistency-result", true, fill(d["okConsistency"] ?? "", { from: from.size, to: to.size }));
  } catch (err) {
    show("consistency-result", false, fill(d["failed"] ?? "{message}", { message: (err as Error).message }));
  }
}

if (section) {
  for (const [id, run] of [["verify-inclusion", inclusion], ["verify-consistency", consistency]] as const) {
    const b = document.getElementById(id) as HTMLButtonElement | null;
    if (!b) continue;
    b.hidden = false;
    b.addEventListener("click", () => void run());
  }
}

