import { test } from "node:test";
import assert from "node:assert/strict";
import { connect as tcpConnect } from "node:net";
import { randomBytes } from "node:crypto";
import { connect } from "nats";
import { compileRules, startNatsDetector, type Alert } from "../../src/workloads/cyber/index.ts";

const NATS = "127.0.0.1:4222";

async function natsUp(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = tcpConnect({ host: "127.0.0.1", port: 4222, timeout: 500 });
    s.once("connect", () => { s.destroy(); resolve(true); });
    s.once("error", () => resolve(false));
    s.once("timeout", () => { s.destroy(); resolve(false); });
  });
}

const skip = (await natsUp()) ? false : `NATS JetStream not reachable at ${NATS}`;

const RULE = `title: Encoded PowerShell
id: aaaaaaaa-0000-4000-8000-000000000001
level: high
logsource: { product: windows, category: process_creation }
detection:
    sel:
        CommandLine|contains: ' -enc '
    condition: sel
`;

test("two workers in one queue group share a JetStream subject: each event is handled once, alerts are published", { skip }, async () => {
  const id = randomBytes(4).toString("hex");
  const inSubject = `concord.test.${id}.logs`;
  const outSubject = `concord.test.${id}.alerts`;
  const stream = `CONCORD_TEST_${id}`;
  const ruleSet = compileRules([{ path: "r.yml", text: RULE }]);
  const nc = await connect({ servers: NATS });
  const jsm = await nc.jetstreamManager();
  await jsm.streams.add({ name: stream, subjects: [inSubject] });
  const received: Alert[] = [];
  const sub = nc.subscribe(outSubject, { callback: (_err, m) => { received.push(JSON.parse(m.string()) as Alert); } });
  const workers = await Promise.all([1, 2].map(() => startNatsDetector({ servers: NATS, inSubject, outSubject, queue: `detect-${id}`, ruleSet, batch: 2 })));
  try {
    const js = nc.jetstream();
    const total = 40;
    for (let i = 0; i < total; i++) {
      const cmd = i % 4 === 0 ? `powershell -enc SQBFAFgA ${i}` : `notepad.exe file${i}.txt`;
      await js.publish(inSubject, JSON.stringify({ Event: { System: { EventID: 1, Channel: "Microsoft-Windows-Sysmon/Operational" }, EventData: { CommandLine: cmd, Seq: i } } }));
    }
    const deadline = Date.now() + 20_000;
    while (workers[0]!.processed + workers[1]!.processed < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await nc.flush();
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(workers[0]!.processed + workers[1]!.processed, total, "every message handled exactly once across the group");
    assert.ok(workers[0]!.processed > 0 && workers[1]!.processed > 0, `both workers took messages (${workers[0]!.processed}/${workers[1]!.processed})`);
    const seqs = received.map((a) => (a.event as { Event: { EventData: { Seq: number } } }).Event.EventData.Seq).sort((a, b) => a - b);
    assert.deepEqual(seqs, [0, 4, 8, 12, 16, 20, 24, 28, 32, 36]);
    assert.equal(received[0]!.rule.id, "aaaaaaaa-0000-4000-8000-000000000001");
    assert.equal(received[0]!.source.file, inSubject);
  } finally {
    for (const w of workers) await w.stop();
    sub.unsubscribe();
    await jsm.streams.delete(stream).catch(() => {});
    await nc.close();
  }
});
