// A stand-in PDF worker that keeps allocating on its first document until the heap limit ends the thread.
import { parentPort } from "node:worker_threads";

parentPort?.on("message", () => {
  const kept: number[][] = [];
  for (;;) kept.push(new Array<number>(100_000).fill(kept.length));
});
