/**
 * Warm-up of a detector at load: run it on a sample of the forms it reads (`warm-sample.txt`), twice on a two-byte
 * and twice on a one-byte copy, so its regexes are compiled before any others. V8 compiles a regex apart for
 * one-byte (Latin-1) and two-byte strings, the first run of each interpreted; and once the process has generated more
 * than 1 MB of regex code and holds more than 16 MB of executable memory, it compiles further regexes without their
 * optimisations. The prohibited-use rules' patterns, compiled as texts reach them, pass that budget; a detector whose
 * regexes were compiled after them ran five to ten times slower (the guard benchmark's personal data: 230 against 25
 * ms per megabyte, 111 against 20 microseconds per kilobyte).
 */
import { readFileSync } from "node:fs";

const SAMPLE = readFileSync(new URL("./warm-sample.txt", import.meta.url), "utf8");
/**
 * Short requests to work on pasted text, with none of the rules' words (their patterns are left for later): one
 * paragraph after another is read for an instruction, and each check runs.
 */
const REQUEST = [
  "Please summarise the text below and translate it:\n\n> The delivery arrives on Monday; the team reviews it.\n\nThank you.",
  "The note below was sent to the office.\n\n> The delivery arrives on Monday.\n\nPlease critique the text above and list its arguments.",
];

/** A one-byte copy: a string derived from a two-byte one stays two-byte even when its characters fit Latin-1. */
function latin1(s: string): string {
  return Buffer.from(s.replace(/[^\x00-\xff]/g, " "), "latin1").toString("latin1");
}

export function warmUp(detector: (text: string) => unknown, sample: "forms" | "request" = "forms"): void {
  for (const text of sample === "forms" ? [SAMPLE] : REQUEST) for (const s of [text, latin1(text)]) for (let i = 0; i < 2; i++) detector(s);
}
