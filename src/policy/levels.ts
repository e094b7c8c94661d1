/**
 * The NATO classification levels every marking maps to, lowest first. A network's ceiling is one of them.
 */
import { InvalidRequest } from "../errors/index.ts";

export const LEVELS = ["NATO UNCLASSIFIED", "NATO RESTRICTED", "NATO CONFIDENTIAL", "NATO SECRET", "COSMIC TOP SECRET"] as const;
export type Level = (typeof LEVELS)[number];

/** Short codes used in the markings table. */
const CODES: Record<string, number> = { U: 0, R: 1, C: 2, S: 3, TS: 4 };

const ALIASES: Record<string, number> = {
  UNCLASSIFIED: 0, "NATO UNCLASSIFIED": 0, NU: 0,
  RESTRICTED: 1, "NATO RESTRICTED": 1, NR: 1,
  CONFIDENTIAL: 2, "NATO CONFIDENTIAL": 2, NC: 2,
  SECRET: 3, "NATO SECRET": 3, NS: 3,
  "TOP SECRET": 4, "COSMIC TOP SECRET": 4, CTS: 4,
};

export function levelFromCode(code: string): number | null {
  return code === "-" ? null : (CODES[code] ?? null);
}

/** The rank of a level given by name ("NATO SECRET", "secret", "NS") or by rank; throws on anything else. */
export function levelRank(level: Level | string | number): number {
  if (typeof level === "number") {
    if (Number.isInteger(level) && level >= 0 && level < LEVELS.length) return level;
  } else {
    const rank = ALIASES[level.trim().toUpperCase().replace(/\s+/g, " ")];
    if (rank !== undefined) return rank;
  }
  throw new InvalidRequest(`"${String(level)}" is not a classification level; use one of: ${LEVELS.join(", ")}`);
}

export function levelName(rank: number): Level {
  const name = LEVELS[rank];
  if (name === undefined) throw new InvalidRequest(`classification rank ${rank} does not exist`);
  return name;
}

/** Negative when a is lower than b, zero when equal, positive when higher. */
export function compareLevels(a: Level | string | number, b: Level | string | number): number {
  return levelRank(a) - levelRank(b);
}
