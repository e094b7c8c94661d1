// Loads the hand-written language-id set: test/comms/langid/<iso3>.txt, "# sentences" then "# snippets".
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface LangidSample { lang: string; text: string; kind: "sentence" | "snippet" }

export function loadLangidSet(dir = join(import.meta.dirname, "langid")): LangidSample[] {
  const out: LangidSample[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".txt")).sort()) {
    const lang = file.slice(0, -4);
    let kind: LangidSample["kind"] | undefined;
    for (const raw of readFileSync(join(dir, file), "utf8").split("\n")) {
      const line = raw.trim();
      if (line === "# sentences") kind = "sentence";
      else if (line === "# snippets") kind = "snippet";
      else if (line && kind) out.push({ lang, text: line, kind });
    }
  }
  return out;
}
