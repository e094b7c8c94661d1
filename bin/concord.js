#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx so a fresh clone needs no build step.
import { register } from "tsx/esm/api";
register();
const { main } = await import("../src/cli/main.ts");
await main(process.argv);
// A command that failed has said why on stderr; end now rather than wait on what it had opened (a store's writer
// thread, a worker pool), which would leave a failed `concord serve` alive and silent.
if (process.exitCode) process.exit();
