/** Reading rule files from disk: files named directly, and every `.yml`/`.yaml` below named directories. */
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { InvalidRequest } from "../../errors/index.ts";
import type { RuleSource } from "./rule/types.ts";

export async function readRuleSources(paths: readonly string[]): Promise<RuleSource[]> {
  const files: string[] = [];
  for (const p of paths) {
    let info;
    try {
      info = await stat(p);
    } catch {
      throw new InvalidRequest(`rules path '${p}' does not exist; name a rule file or a directory of rules`);
    }
    if (info.isDirectory()) await walk(p, files);
    else files.push(p);
  }
  files.sort();
  return Promise.all(files.map(async (path) => ({ path, text: await readFile(path, "utf8") })));
}

async function walk(dir: string, out: string[]): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(path, out);
    else if (/\.ya?ml$/i.test(entry.name)) out.push(path);
  }
}
