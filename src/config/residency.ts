import type { Config } from "./schema.ts";

/**
 * Expands a nation's residency list (codes and named groups such as EU) into the set of concrete jurisdictions
 * its data may be processed in. Groups may name other groups; cycles are ignored.
 */
export function allowedJurisdictions(cfg: Pick<Config, "jurisdictions">, residency: readonly string[]): Set<string> {
  const out = new Set<string>();
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const group = cfg.jurisdictions[name];
    if (group) {
      out.add(name);
      for (const member of group) visit(member);
    } else {
      out.add(name);
    }
  };
  for (const r of residency) visit(r);
  return out;
}
