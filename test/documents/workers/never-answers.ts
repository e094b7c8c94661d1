// A stand-in PDF worker that spins forever on its first document, as pdf.js might on a hostile file; only
// terminating the thread stops it.
import { parentPort } from "node:worker_threads";

parentPort?.on("message", () => {
  for (;;) { /* spin: the event loop of this thread never turns again */ }
});
