import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";

const BIN = resolve(import.meta.dirname, "../../bin/concord.js");

/** Runs `concord serve` as a separate process and resolves once it prints its URL. */
export async function spawnGateway(configFile: string, env: NodeJS.ProcessEnv = process.env): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [BIN, "serve", "--config", configFile, "--port", "0"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stderr!.on("data", (d: Buffer) => { err += d.toString(); });
  const url = await new Promise<string>((res, rej) => {
    // A gateway that never got ready is killed, so a failed start cannot keep the test process alive.
    const timer = setTimeout(() => { child.kill("SIGKILL"); rej(new Error(`gateway did not start in 90 s: ${err}`)); }, 90_000);
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = / at (http:\/\/\S+) /.exec(out);
      if (m && out.includes("ready")) { clearTimeout(timer); res(m[1] as string); }
    });
    child.once("exit", (code) => { clearTimeout(timer); rej(new Error(`gateway exited with ${code}: ${err}`)); });
  });
  // A gateway a failed test did not stop must not keep the test file's process alive (that hangs the whole run): the
  // child and its pipes are unreferenced, and killed when the test process exits.
  child.unref();
  (child.stdout as unknown as { unref?: () => void }).unref?.();
  (child.stderr as unknown as { unref?: () => void }).unref?.();
  process.once("exit", () => child.kill("SIGKILL"));
  return {
    url, child,
    // Referenced again while stopping, so the wait for its exit holds the event loop open.
    stop: () => new Promise<void>((r) => { if (child.exitCode !== null) return r(); child.ref(); child.once("exit", () => r()); child.kill("SIGTERM"); }),
  };
}

/**
 * Starts several gateways on one config side by side. If one fails to start, those that did are stopped before the
 * error is thrown: a gateway left running would keep the test process alive and hang the run.
 */
export async function spawnGateways(configFile: string, count: number, env: NodeJS.ProcessEnv = process.env): Promise<Awaited<ReturnType<typeof spawnGateway>>[]> {
  const started = await Promise.allSettled(Array.from({ length: count }, () => spawnGateway(configFile, env)));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
  const up = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  if (failed !== undefined) {
    await Promise.all(up.map((g) => g.stop()));
    throw failed.reason;
  }
  return up;
}
