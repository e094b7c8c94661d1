import { test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { once } from "node:events";
import { startFaultProxy } from "./fault-proxy.ts";

/** An echo service that counts the bytes it received. */
async function echoServer() {
  const state = { received: 0 };
  const server = net.createServer((s) => {
    s.on("data", (d: Buffer) => { state.received += d.length; s.write(d); });
    s.on("error", () => {});
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return Object.assign(state, { port: (server.address() as AddressInfo).port, close: () => { server.close(); } });
}

/** Resolves when the socket closed, whatever the reason (events.once would reject on the reset's error). */
const closedP = (s: net.Socket) => new Promise<void>((r) => s.once("close", () => r()));

async function connect(port: number) {
  const s = net.connect({ port, host: "127.0.0.1" });
  s.on("error", () => {});
  await once(s, "connect");
  return s;
}

/** Reads until `n` bytes arrived, or null when the socket closed first. */
function read(s: net.Socket, n: number): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let got = 0;
    const onData = (d: Buffer) => {
      parts.push(d);
      got += d.length;
      if (got >= n) { s.off("data", onData); s.off("close", onClose); resolve(Buffer.concat(parts)); }
    };
    const onClose = () => { s.off("data", onData); resolve(null); };
    s.on("data", onData);
    s.once("close", onClose);
  });
}

test("pass forwards both ways; latency holds each chunk at least the configured time, in order", async () => {
  const echo = await echoServer();
  const proxy = await startFaultProxy({ port: echo.port });
  try {
    const s = await connect(proxy.port);
    s.write("hello");
    assert.equal((await read(s, 5))?.toString(), "hello");
    proxy.set({ kind: "latency", ms: 120 });
    const t0 = Date.now();
    s.write("a");
    s.write("b");
    assert.equal((await read(s, 2))?.toString(), "ab");
    // Held once on the way in and once on the way out.
    assert.ok(Date.now() - t0 >= 240, `echo came back after ${Date.now() - t0} ms`);
    s.destroy();
  } finally {
    await proxy.close();
    echo.close();
  }
});

test("reset closes open connections and refuses new ones until the mode changes", async () => {
  const echo = await echoServer();
  const proxy = await startFaultProxy({ port: echo.port });
  try {
    const s = await connect(proxy.port);
    const closed = closedP(s);
    proxy.set({ kind: "reset" });
    await closed;
    const s2 = net.connect({ port: proxy.port, host: "127.0.0.1" });
    s2.on("error", () => {});
    s2.write("x");
    assert.equal(await read(s2, 1), null);
    proxy.set({ kind: "pass" });
    const s3 = await connect(proxy.port);
    s3.write("back");
    assert.equal((await read(s3, 4))?.toString(), "back");
    s3.destroy();
  } finally {
    await proxy.close();
    echo.close();
  }
});

test("blackhole reads and swallows without forwarding; healing drops the connections that lost bytes", async () => {
  const echo = await echoServer();
  const proxy = await startFaultProxy({ port: echo.port });
  try {
    const s = await connect(proxy.port);
    s.write("one");
    assert.equal((await read(s, 3))?.toString(), "one");
    proxy.set({ kind: "blackhole" });
    const fresh = await connect(proxy.port); // accepted, never reaches the service
    s.write("lost");
    fresh.write("lost too");
    await new Promise<void>((resolve) => { const t = setInterval(() => { if (proxy.stats().swallowed === 12) { clearInterval(t); resolve(); } }, 5); });
    assert.equal(echo.received, 3);
    const closed = [closedP(s), closedP(fresh)];
    proxy.set({ kind: "pass" });
    await Promise.all(closed);
    const s3 = await connect(proxy.port);
    s3.write("ok");
    assert.equal((await read(s3, 2))?.toString(), "ok");
    s3.destroy();
  } finally {
    await proxy.close();
    echo.close();
  }
});

test("bandwidth caps the rate: 4000 bytes at 10000 B/s take at least 0.4 s one way", async () => {
  const echo = await echoServer();
  const proxy = await startFaultProxy({ port: echo.port });
  try {
    proxy.set({ kind: "bandwidth", bytesPerSecond: 10_000 });
    const s = await connect(proxy.port);
    const t0 = Date.now();
    s.write(Buffer.alloc(4000, 7));
    const back = await read(s, 4000);
    assert.equal(back?.length, 4000);
    assert.ok(back?.every((b) => b === 7));
    assert.ok(Date.now() - t0 >= 400, `4000 bytes came back after ${Date.now() - t0} ms`);
    s.destroy();
  } finally {
    await proxy.close();
    echo.close();
  }
});
