/**
 * Requests and refusals per nation per minute over the last hour, for the operations API. A ring of 60 minute
 * slots per nation: counting a request is one comparison and two array increments, so the pipeline can do it on
 * every answer. In-process only: each gateway replica counts what it answered (docs/console.md says so).
 */
export const MINUTES = 60;

interface Ring {
  /** The minute (since the epoch) each slot currently counts; a slot from an older hour is reset on first use. */
  readonly minute: Float64Array;
  readonly requests: Uint32Array;
  readonly refused: Uint32Array;
}

export interface MinuteCount {
  /** Start of the minute, milliseconds since the epoch. */
  readonly at: number;
  readonly requests: number;
  readonly refused: number;
}

export class MinuteRates {
  private readonly rings = new Map<string, Ring>();

  /** Counts one answered request of `nation` at `now` (ms), and whether it was refused. */
  add(nation: string, refused: boolean, now: number): void {
    let r = this.rings.get(nation);
    if (!r) this.rings.set(nation, (r = { minute: new Float64Array(MINUTES).fill(-1), requests: new Uint32Array(MINUTES), refused: new Uint32Array(MINUTES) }));
    const m = Math.floor(now / 60_000);
    const slot = m % MINUTES;
    if (r.minute[slot] !== m) {
      r.minute[slot] = m;
      r.requests[slot] = 0;
      r.refused[slot] = 0;
    }
    r.requests[slot]!++;
    if (refused) r.refused[slot]!++;
  }

  /** The last 60 minutes of `nation`, oldest first, the current (partial) minute last; zeros where nothing was counted. */
  lastHour(nation: string, now: number): MinuteCount[] {
    const r = this.rings.get(nation);
    const current = Math.floor(now / 60_000);
    const out: MinuteCount[] = [];
    for (let m = current - MINUTES + 1; m <= current; m++) {
      const slot = m % MINUTES;
      const live = r !== undefined && r.minute[slot] === m;
      out.push({ at: m * 60_000, requests: live ? r.requests[slot]! : 0, refused: live ? r.refused[slot]! : 0 });
    }
    return out;
  }
}
