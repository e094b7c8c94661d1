/** Durations in configuration are written as `500ms`, `30s`, `15m`, `72h` or `7d`. */
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  if (!m) return null;
  const unit = UNITS[m[2] as string];
  return unit === undefined ? null : Math.round(Number(m[1]) * unit);
}
