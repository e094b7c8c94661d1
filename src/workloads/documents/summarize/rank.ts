/**
 * Sentence centrality by continuous LexRank (Erkan & Radev 2004): TF-IDF cosine similarity between sentences as
 * a weighted graph, ranked by PageRank. TextRank (Mihalcea & Tarau 2004) is the same walk over a word-overlap
 * similarity; cosine over TF-IDF discounts the words every sentence shares.
 */

export type Vector = Map<string, number>;

/** TF-IDF vectors of the sentences, IDF computed over the sentences themselves (each sentence a "document"). */
export function tfidf(sentences: readonly (readonly string[])[], stopwords: ReadonlySet<string> = new Set()): Vector[] {
  const df = new Map<string, number>();
  for (const s of sentences) for (const t of new Set(s)) df.set(t, (df.get(t) ?? 0) + 1);
  const n = sentences.length;
  return sentences.map((s) => {
    const tf = new Map<string, number>();
    for (const t of s) if (!stopwords.has(t)) tf.set(t, (tf.get(t) ?? 0) + 1);
    const v: Vector = new Map();
    for (const [t, f] of tf) v.set(t, f * Math.log((n + 1) / (df.get(t)! + 0.5)));
    return v;
  });
}

export function cosine(a: Vector, b: Vector): number {
  let dot = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const [t, w] of small) {
    const u = large.get(t);
    if (u !== undefined) dot += w * u;
  }
  if (dot === 0) return 0;
  return dot / (norm(a) * norm(b));
}

function norm(v: Vector): number {
  let s = 0;
  for (const w of v.values()) s += w * w;
  return Math.sqrt(s);
}

export function similarityMatrix(vs: readonly Vector[]): number[][] {
  const m = vs.map(() => new Array<number>(vs.length).fill(0));
  for (let i = 0; i < vs.length; i++) {
    for (let j = i + 1; j < vs.length; j++) {
      const s = cosine(vs[i]!, vs[j]!);
      m[i]![j] = s;
      m[j]![i] = s;
    }
  }
  return m;
}

/**
 * PageRank over a weighted undirected graph. `prior` is the teleport distribution (uniform when omitted); a
 * prior that favours early sentences is the position-biased variant (as in PacSum, Zheng & Lapata 2019).
 */
export function pageRank(sim: readonly (readonly number[])[], opts: { damping?: number; prior?: readonly number[]; iterations?: number; tolerance?: number } = {}): number[] {
  const n = sim.length;
  if (n === 0) return [];
  const d = opts.damping ?? 0.85;
  const prior = normalize(opts.prior ?? new Array<number>(n).fill(1));
  const rowSum = sim.map((row) => row.reduce((a, b) => a + b, 0));
  let r = [...prior];
  for (let it = 0; it < (opts.iterations ?? 100); it++) {
    const next = prior.map((p) => (1 - d) * p);
    for (let j = 0; j < n; j++) {
      const rj = r[j]!;
      if (rowSum[j] === 0) {
        // A sentence sharing nothing with the rest hands its rank back to the prior (dangling node).
        for (let i = 0; i < n; i++) next[i]! += d * rj * prior[i]!;
        continue;
      }
      const row = sim[j]!;
      for (let i = 0; i < n; i++) if (row[i]! > 0) next[i]! += (d * rj * row[i]!) / rowSum[j]!;
    }
    const delta = next.reduce((a, x, i) => a + Math.abs(x - r[i]!), 0);
    r = next;
    if (delta < (opts.tolerance ?? 1e-8)) break;
  }
  return r;
}

function normalize(xs: readonly number[]): number[] {
  const s = xs.reduce((a, b) => a + b, 0);
  return xs.map((x) => (s === 0 ? 1 / xs.length : x / s));
}

/**
 * Maximal marginal relevance (Carbonell & Goldstein 1998): pick by score, penalised by similarity to what is
 * already picked, and never pick a near-duplicate (similarity above `maxSimilarity`).
 */
export function selectMmr(scores: readonly number[], sim: readonly (readonly number[])[], k: number, opts: { lambda?: number; maxSimilarity?: number } = {}): number[] {
  const lambda = opts.lambda ?? 0.7;
  const maxSim = opts.maxSimilarity ?? 0.5;
  const top = Math.max(...scores, 0) || 1;
  const chosen: number[] = [];
  const left = new Set(scores.map((_, i) => i));
  while (chosen.length < k && left.size > 0) {
    let best = -1;
    let bestValue = -Infinity;
    for (const i of left) {
      const red = chosen.reduce((m, j) => Math.max(m, sim[i]![j]!), 0);
      if (red > maxSim) continue;
      const v = lambda * (scores[i]! / top) - (1 - lambda) * red;
      if (v > bestValue) { bestValue = v; best = i; }
    }
    if (best === -1) break;
    chosen.push(best);
    left.delete(best);
  }
  return chosen;
}
