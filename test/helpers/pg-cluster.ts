/**
 * A throwaway PostgreSQL cluster for tests that must stop, kill or reconfigure the database server (never the
 * shared one on 5432): initdb in a temp dir, its own port and socket dir, and a SIGKILL of every server process at
 * once to simulate the server dying. As root, the server binaries run as the `postgres` OS user (PostgreSQL
 * refuses to run as root).
 *
 * The postmaster is started as this process's own child in a session of its own, not through `pg_ctl start`
 * (whose postmaster is adopted by PID 1): a killed postmaster is then reaped at once, and a restart need not wait
 * for PID 1 to notice (about a second per kill in a container). `pg_ctl stop` stops it.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { chownSync, closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The newest `/usr/lib/postgresql/<major>/bin` that has initdb, or null. */
export function findPgBin(root = "/usr/lib/postgresql"): string | null {
  let majors: string[];
  try {
    majors = readdirSync(root);
  } catch {
    return null;
  }
  const found = majors.filter((m) => existsSync(join(root, m, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a));
  return found[0] ? join(root, found[0], "bin") : null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function postgresUser(): Promise<{ uid: number; gid: number } | null> {
  try {
    const [uid, gid] = await Promise.all([run("id", ["-u", "postgres"]), run("id", ["-g", "postgres"])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return null;
  }
}

export interface PgCluster {
  readonly dir: string;
  readonly port: number;
  /** A connection URL for `db` on this cluster (trust authentication, user postgres). */
  url(db?: string): string;
  /** Starts the server with these `-c` settings; resolves once it accepts connections. */
  start(settings?: Record<string, string>): Promise<void>;
  /** SIGKILLs the postmaster and every backend, WAL writer and checkpointer at once (its process group). */
  kill(): Promise<void>;
  /** pg_ctl stop -m fast (a clean shutdown). */
  stop(): Promise<void>;
  /** Stops the server if it runs and removes the cluster's files. */
  destroy(): Promise<void>;
  /** The server log so far (for failure messages). */
  log(): string;
}

/** Creates a cluster, or returns a sentence saying why it cannot (the caller skips with it). */
export async function createPgCluster(tag: string): Promise<PgCluster | string> {
  const bin = findPgBin();
  if (!bin) return "initdb was not found under /usr/lib/postgresql/*/bin (install the postgresql package to run this test)";
  const root = process.getuid?.() === 0;
  const owner = root ? await postgresUser() : null;
  if (root && !owner) return "running as root and there is no `postgres` OS user to run a throwaway PostgreSQL server as";
  const dir = mkdtempSync(join(tmpdir(), `concord-pg-${tag}-`));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const data = join(dir, "data");
  const logFile = join(dir, "server.log");
  // runuser keeps our environment; the binaries are named by absolute path.
  const as = (cmd: string, args: string[]) => (root ? run("runuser", ["-u", "postgres", "--", join(bin, cmd), ...args]) : run(join(bin, cmd), args));
  try {
    await as("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"]);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    return `initdb failed: ${(err as { stderr?: string }).stderr ?? (err as Error).message}`;
  }
  const port = await freePort();
  let postmaster: { child: ChildProcess; exited: Promise<void> } | null = null;
  /** Whether postmaster.pid says that `pid` (not a killed predecessor whose file is left) is ready. */
  const ready = (pid: number | undefined): boolean => {
    try {
      // Line 1 is the postmaster's pid, line 8 its state: "starting", "ready", "stopping", ...
      const lines = readFileSync(join(data, "postmaster.pid"), "utf8").split("\n");
      return Number(lines[0]) === pid && lines[7]?.trim() === "ready";
    } catch {
      return false;
    }
  };
  const logTail = () => cluster.log().slice(-2000);
  const cluster: PgCluster = {
    dir,
    port,
    url: (db = "postgres") => `postgres://postgres@127.0.0.1:${port}/${db}`,
    async start(settings = {}) {
      if (postmaster) throw new Error("the server is already running");
      const all = { listen_addresses: "127.0.0.1", port: String(port), unix_socket_directories: dir, ...settings };
      const args = ["-D", data, ...Object.entries(all).flatMap(([k, v]) => ["-c", `${k}=${v}`])];
      const out = openSync(logFile, "a");
      const child = spawn(join(bin, "postgres"), args, { detached: true, stdio: ["ignore", out, out], ...(owner ?? {}) });
      closeSync(out);
      child.unref();
      // Should the test process end without stopping it, the server must not outlive it.
      const orphanGuard = () => {
        try {
          process.kill(-(child.pid as number), "SIGKILL");
        } catch {
          // already gone
        }
      };
      process.once("exit", orphanGuard);
      const exited = new Promise<void>((resolve) => child.once("exit", () => { process.off("exit", orphanGuard); resolve(); }));
      postmaster = { child, exited };
      const deadline = Date.now() + 60_000;
      while (!ready(child.pid)) {
        if (child.exitCode !== null || child.signalCode !== null) {
          postmaster = null;
          throw new Error(`the throwaway PostgreSQL server did not start: ${logTail()}`);
        }
        if (Date.now() > deadline) throw new Error(`the throwaway PostgreSQL server was not ready in 60 s: ${logTail()}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async kill() {
      if (!postmaster) throw new Error("the server is not running");
      const pid = postmaster.child.pid as number;
      // Each backend makes itself a process-group leader (PostgreSQL's InitPostmasterChild calls setsid), so the
      // postmaster's group does not hold them: kill them one by one too, as `kill -9` of every server process
      // would. Otherwise a backend still attached to the shared memory makes the restart fail ("pre-existing
      // shared memory block is still in use") when it notices the postmaster's death a moment late.
      const backends = childrenOf(pid);
      process.kill(-pid, "SIGKILL");
      for (const b of backends) signal(b, "SIGKILL");
      await postmaster.exited;
      const deadline = Date.now() + 30_000;
      while (backends.some(running) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      postmaster = null;
    },
    async stop() {
      if (!postmaster) return;
      await as("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
      await postmaster.exited;
      postmaster = null;
    },
    async destroy() {
      if (postmaster) await cluster.stop().catch(() => cluster.kill());
      rmSync(dir, { recursive: true, force: true });
    },
    log: () => {
      try {
        return readFileSync(logFile, "utf8");
      } catch {
        return "";
      }
    },
  };
  return cluster;
}

/** Pids whose parent is `pid`, from /proc (Linux). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after its last ")".
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) out.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** Whether a process still runs (a zombie has exited: it holds no shared memory). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}
