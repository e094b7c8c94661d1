/**
 * Writes a LinearModel as CPLEX LP text (the format HiGHS, CPLEX, Gurobi, GLPK and CBC all read), and converts it
 * to the compressed-row arrays HiGHS takes directly, which skips parsing for large models.
 */
import type { LinearModel } from "./model.ts";

const LINE = 200; // CPLEX caps lines at 560 characters; wrap well below it.

export function toLpText(model: LinearModel): string {
  const out: string[] = [`\\ ${model.name.replace(/[\r\n]/g, " ")}`, "Minimize"];
  const objective: string[] = [];
  model.columns.forEach((c) => {
    if (c.cost !== 0) objective.push(termText(c.cost, c.name));
  });
  out.push(...wrap(" obj:", objective.length === 0 ? ["0 " + (model.columns[0]?.name ?? "")] : objective));
  out.push("Subject To");
  for (const row of model.rows) {
    const terms = row.cols.map((j, k) => termText(row.coefs[k]!, model.columns[j]!.name));
    if (terms.length === 0) continue;
    out.push(...wrap(` ${row.name}:`, terms, sense(row.lower, row.upper)));
  }
  const bounds: string[] = [];
  for (const c of model.columns) {
    if (c.lower === 0 && c.upper === Infinity) continue;
    if (c.lower === c.upper) bounds.push(` ${c.name} = ${num(c.lower)}`);
    else bounds.push(` ${c.lower === -Infinity ? "-inf" : num(c.lower)} <= ${c.name} <= ${c.upper === Infinity ? "+inf" : num(c.upper)}`);
  }
  if (bounds.length > 0) out.push("Bounds", ...bounds);
  const ints = model.columns.filter((c) => c.integer).map((c) => c.name);
  if (ints.length > 0) out.push("Generals", ...wrap("", ints));
  out.push("End", "");
  return out.join("\n");
}

function sense(lower: number, upper: number): string {
  if (lower === upper) return `= ${num(lower)}`;
  if (lower === -Infinity) return `<= ${num(upper)}`;
  if (upper === Infinity) return `>= ${num(lower)}`;
  // The builder never makes ranged rows; a writer that silently dropped a side would change the model.
  throw new Error("ranged rows are not written");
}

function termText(coef: number, name: string): string {
  return `${coef < 0 ? "-" : "+"} ${num(Math.abs(coef))} ${name}`;
}

/** Shortest text that reads back as the same double. */
function num(x: number): string {
  return String(x);
}

function wrap(head: string, terms: string[], tail?: string): string[] {
  const lines: string[] = [];
  let line = head;
  for (const t of terms) {
    if (line.length + t.length + 1 > LINE && line.trim() !== "") {
      lines.push(line);
      line = "   ";
    }
    line += ` ${t}`;
  }
  if (tail !== undefined) line += ` ${tail}`;
  lines.push(line);
  return lines;
}

/** HiGHS ModelData fields for LinearModel (compressed rows), with typed arrays that can cross to a worker. */
export interface ModelArrays {
  numCols: number;
  numRows: number;
  colCost: Float64Array;
  colLower: Float64Array;
  colUpper: Float64Array;
  rowLower: Float64Array;
  rowUpper: Float64Array;
  starts: Int32Array;
  indices: Int32Array;
  values: Float64Array;
  integrality: Int32Array | undefined;
}

export function toArrays(model: LinearModel): ModelArrays {
  const numCols = model.columns.length;
  const numRows = model.rows.length;
  let nnz = 0;
  for (const r of model.rows) nnz += r.cols.length;
  const starts = new Int32Array(numRows + 1);
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let k = 0;
  model.rows.forEach((r, i) => {
    starts[i] = k;
    // HiGHS rejects a repeated column within one row; a sorted copy makes the check cheap and the order stable.
    const order = r.cols.map((_, x) => x).sort((a, b) => r.cols[a]! - r.cols[b]!);
    for (const x of order) {
      indices[k] = r.cols[x]!;
      values[k] = r.coefs[x]!;
      k++;
    }
  });
  starts[numRows] = k;
  const fill = (get: (i: number) => number, n: number) => Float64Array.from({ length: n }, (_, i) => get(i));
  return {
    numCols,
    numRows,
    colCost: fill((j) => model.columns[j]!.cost, numCols),
    colLower: fill((j) => model.columns[j]!.lower, numCols),
    colUpper: fill((j) => model.columns[j]!.upper, numCols),
    rowLower: fill((i) => model.rows[i]!.lower, numRows),
    rowUpper: fill((i) => model.rows[i]!.upper, numRows),
    starts,
    indices,
    values,
    integrality: model.integer ? Int32Array.from(model.columns, (c) => (c.integer ? 1 : 0)) : undefined,
  };
}
