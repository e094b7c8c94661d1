/**
 * Output guarding for a streamed response: text is released to the client only once the marking stream has
 * judged it, and nothing more is released after a marking above the ceiling is found. The caller ends the
 * response with an error event when `withheld` turns true.
 */
import type { Finding } from "./scan.ts";
import { createWindowedStream } from "./stream.ts";

export interface GuardStep {
  /** Text safe to send now (empty once withheld). */
  readonly release: string;
  /** Markings above the ceiling found by this step. */
  readonly findings: readonly Finding[];
}

export interface OutputGuard {
  push(chunk: string): GuardStep;
  /** Releases the held-back tail if it is clean; call once when the upstream ends. */
  end(): GuardStep;
  /** True once a marking was found: the rest of the output is withheld. */
  readonly withheld: boolean;
}

export function createGuard(ceiling: number): OutputGuard {
  const stream = createWindowedStream(ceiling);
  let pending = "";
  let released = 0;
  let withheld = false;

  const step = (findings: readonly Finding[], upTo: number): GuardStep => {
    if (findings.length > 0) withheld = true;
    if (withheld) {
      pending = "";
      return { release: "", findings };
    }
    const release = pending.slice(0, upTo - released);
    pending = pending.slice(upTo - released);
    released = upTo;
    return { release, findings };
  };

  return {
    get withheld() {
      return withheld;
    },
    push(chunk: string): GuardStep {
      if (!withheld) pending += chunk;
      const findings = stream.push(chunk);
      return step(findings, Math.max(released, stream.decided));
    },
    end(): GuardStep {
      const findings = stream.end();
      return step(findings, released + pending.length);
    },
  };
}
