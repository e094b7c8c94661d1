/**
 * Authors are replaced by keyed pseudonyms in every output. HMAC-SHA-256 under the gateway's key over a salt
 * drawn fresh for each analysis and the normalised author: the same author gets the same pseudonym within one
 * analysis (so a reader can see that three complaints came from one sender) and different pseudonyms in the
 * next, so analyses cannot be joined into a profile of a person. Accounts the configuration lists as official
 * (press offices, public channels) keep their names.
 */
import { createHmac, randomBytes } from "node:crypto";
import { InvalidRequest } from "../../errors/index.ts";

export interface AuthorLabel {
  /** The pseudonym (`p_` + 16 base32 characters) or the official account's name. */
  author: string;
  official: boolean;
}

export type Pseudonymize = (author: string) => AuthorLabel;

const normalise = (author: string) => author.trim().toLowerCase().replace(/^.*<([^>]+)>.*$/su, "$1");
const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

function base32(bytes: Uint8Array, length: number): string {
  let out = "", bits = 0, value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

export interface PseudonymizerOptions {
  /** The gateway's secret (at least 16 bytes); it never appears in any output. */
  key: Uint8Array;
  officialAccounts?: readonly string[];
  /** Fixed salt, for tests only; by default 16 random bytes per analysis. */
  salt?: Uint8Array;
}

export function createPseudonymizer(opts: PseudonymizerOptions): Pseudonymize {
  if (opts.key.length < 16) throw new InvalidRequest("the pseudonymisation key must be at least 16 bytes");
  const salt = opts.salt ?? randomBytes(16);
  const official = new Map((opts.officialAccounts ?? []).map((a) => [normalise(a), a.trim()]));
  const memo = new Map<string, AuthorLabel>();
  return (author) => {
    const n = normalise(author);
    let label = memo.get(n);
    if (!label) {
      const name = official.get(n);
      label = name !== undefined
        ? { author: name, official: true }
        : { author: `p_${base32(createHmac("sha256", opts.key).update(salt).update("\0").update(n).digest(), 16)}`, official: false };
      if (memo.size < 100_000) memo.set(n, label);
    }
    return label;
  };
}
