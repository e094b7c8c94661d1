import net from "node:net";
import type { AddressInfo } from "node:net";

/**
 * A TCP proxy in front of a shared service (Redis, PostgreSQL, NATS) that simulates its outages without touching
 * the service itself, switched at run time:
 * - `pass`: bytes flow as they come;
 * - `latency`: each chunk is held `ms` before it is forwarded (in both directions, order kept);
 * - `reset`: every open connection is reset and new ones are reset on accept (a crashed or restarted service);
 * - `blackhole`: connections are accepted and read, nothing is forwarded or answered (a partition, a stalled
 *   host). A connection that lost bytes this way can never carry its protocol again, so leaving `blackhole`
 *   destroys it, as the client's TCP stack would after its retransmissions time out;
 * - `bandwidth`: each direction is capped at `bytesPerSecond`.
 */
export type FaultMode =
  | { readonly kind: "pass" }
  | { readonly kind: "latency"; readonly ms: number }
  | { readonly kind: "reset" }
  | { readonly kind: "blackhole" }
  | { readonly kind: "bandwidth"; readonly bytesPerSecond: number };

export interface FaultProxy {
  readonly host: string;
  readonly port: number;
  readonly mode: FaultMode;
  set(mode: FaultMode): void;
  /** Open client connections, connections accepted in total, bytes swallowed by `blackhole`. */
  stats(): { open: number; accepted: number; swallowed: number };
  close(): Promise<void>;
}

const HIGH_WATER = 1 << 20; // bytes queued in one direction before the source is paused

interface Pipe {
  readonly client: net.Socket;
  upstream: net.Socket | null;
  tainted: boolean;
}

export async function startFaultProxy(target: { host?: string; port: number }): Promise<FaultProxy> {
  const host = target.host ?? "127.0.0.1";
  let mode: FaultMode = { kind: "pass" };
  const pipes = new Set<Pipe>();
  let accepted = 0;
  let swallowed = 0;

  const kill = (p: Pipe, reset: boolean) => {
    for (const s of [p.client, p.upstream]) {
      if (!s || s.destroyed) continue;
      if (reset) s.resetAndDestroy();
      else s.destroy();
    }
    pipes.delete(p);
  };

  /** Forwards `from` to `to` through a FIFO whose release times follow the mode in force when a chunk arrived. */
  const forward = (p: Pipe, from: net.Socket, to: () => net.Socket | null) => {
    const queue: Array<{ chunk: Buffer; due: number }> = [];
    let queued = 0;
    let lastDue = 0;
    let timer: NodeJS.Timeout | null = null;
    const pump = () => {
      timer = null;
      const now = Date.now();
      while (queue.length > 0 && (queue[0] as { due: number }).due <= now) {
        const { chunk } = queue.shift() as { chunk: Buffer };
        queued -= chunk.length;
        const dest = to();
        if (dest && !dest.destroyed) dest.write(chunk);
      }
      if (queued < HIGH_WATER && from.isPaused()) from.resume();
      if (queue.length > 0) timer = setTimeout(pump, Math.max(0, (queue[0] as { due: number }).due - now));
    };
    from.on("data", (chunk: Buffer) => {
      if (mode.kind === "blackhole") {
        swallowed += chunk.length;
        p.tainted = true;
        return;
      }
      const now = Date.now();
      if (mode.kind === "bandwidth") {
        // Slices of a tenth of a second each, so a large chunk does not arrive as one late burst.
        const slice = Math.max(1, Math.floor(mode.bytesPerSecond / 10));
        for (let i = 0; i < chunk.length; i += slice) {
          const part = chunk.subarray(i, i + slice);
          lastDue = Math.max(now, lastDue) + (part.length / mode.bytesPerSecond) * 1000;
          queue.push({ chunk: part, due: lastDue });
        }
      } else {
        lastDue = Math.max(lastDue, now + (mode.kind === "latency" ? mode.ms : 0));
        queue.push({ chunk, due: lastDue });
      }
      queued += chunk.length;
      if (queued >= HIGH_WATER) from.pause();
      if (!timer) pump();
    });
    from.on("close", () => { if (timer) clearTimeout(timer); });
  };

  const server = net.createServer((client) => {
    accepted++;
    client.on("error", () => {}); // a reset peer is the expected outcome here, not a failure of the proxy
    if (mode.kind === "reset") {
      client.resetAndDestroy();
      return;
    }
    const p: Pipe = { client, upstream: null, tainted: false };
    pipes.add(p);
    client.on("error", () => kill(p, false));
    client.on("close", () => kill(p, false));
    const open = () => {
      const up = net.connect({ host, port: target.port });
      p.upstream = up;
      up.on("error", () => kill(p, false));
      up.on("close", () => kill(p, false));
      forward(p, up, () => p.client);
    };
    forward(p, client, () => p.upstream);
    // A blackholed connection never reaches the service; it connects when (if) it is still alive afterwards.
    if (mode.kind === "blackhole") p.tainted = true;
    else open();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;

  return {
    host: "127.0.0.1",
    port,
    get mode() { return mode; },
    set(next) {
      const prev = mode;
      mode = next;
      if (next.kind === "reset") for (const p of [...pipes]) kill(p, true);
      else if (prev.kind === "blackhole" && next.kind !== "blackhole") for (const p of [...pipes]) if (p.tainted) kill(p, false);
    },
    stats: () => ({ open: pipes.size, accepted, swallowed }),
    close() {
      for (const p of [...pipes]) kill(p, false);
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}
