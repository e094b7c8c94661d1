/**
 * Console benchmark: for each page, the server's time to render it (request to last byte over loopback, which
 * includes the gateway API calls the page makes through `inject`), and the compressed JavaScript it loads.
 *   npx tsx bench/console.ts [--quick]
 * A gateway with a stub model server and the demo IdP runs in this process; the figures are p50 and p99 of N
 * sequential requests after a warm-up.
 */
import { parseArgs } from "node:util";
import { startStubUpstream } from "../test/helpers/stub-upstream.ts";
import { startGateway } from "../test/helpers/gateway.ts";
import { mintDemoToken } from "../src/identity/index.ts";

const { values } = parseArgs({ options: { quick: { type: "boolean", default: false } } });
const N = values.quick ? 30 : 200;

const upstream = await startStubUpstream();
const gw = await startGateway({
  network: { name: "bench", jurisdiction: "BEL" },
  // DEU's request budget is raised so that 200 requests to each of its pages fit in a minute.
  nations: { DEU: { residency: ["DEU"], identity: "demo", quota: { requests_per_minute: 1_000_000, tokens_per_day: 2_000_000 } }, FRA: { residency: ["DEU"], identity: "demo" } },
  endpoints: [{ id: "deu", url: upstream.url, jurisdiction: "DEU", models: ["m"] }],
  oversight: { review: ["chat.intelligence_summary"], approvals_required: 2 },
});

async function session(role: string): Promise<string> {
  const first = await fetch(`${gw.url}/console/sign-in`);
  const cookie = first.headers.get("set-cookie")!.split(";")[0]!;
  const csrf = /name="csrf" value="([^"]+)"/.exec(await first.text())![1]!;
  const res = await fetch(`${gw.url}/console/sign-in/demo`, {
    method: "POST", redirect: "manual",
    headers: { cookie, origin: gw.url, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrf, nation: "DEU", role, name: `bench-${role}` }),
  });
  return res.headers.get("set-cookie")!.split(";")[0]!;
}

// Something on each page: a document, a held review, a proposal.
const token = (role: "analyst" | "nation-admin") => mintDemoToken(gw.gateway.demoKeys.get("DEU")!, { nation: "DEU", role, subject: "bench" });
const auth = async (role: "analyst" | "nation-admin") => ({ authorization: `Bearer ${await token(role)}`, "content-type": "application/json" });
await fetch(`${gw.url}/v1/workloads/documents`, { method: "POST", headers: await auth("analyst"), body: JSON.stringify({ filename: "r.md", content_base64: Buffer.from("# Report\n\nDepot fuel lasts nine days.\n\nRoads are open.\n").toString("base64") }) });
await fetch(`${gw.url}/v1/chat/completions`, { method: "POST", headers: await auth("analyst"), body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "x" }], metadata: { purpose: "intelligence_summary" } }) });
const policy = (await (await fetch(`${gw.url}/admin/policy`, { headers: await auth("nation-admin") })).json()) as { bundle: { oversight: { approvals_required: number } } };
policy.bundle.oversight.approvals_required = 3;
await fetch(`${gw.url}/admin/proposals`, { method: "POST", headers: await auth("nation-admin"), body: JSON.stringify({ bundle: policy.bundle }) });
// Alerts: the example events repeated with varied hosts, 10,000 events giving 5,000 alerts to page through.
const { readFileSync } = await import("node:fs");
const exampleEvents = readFileSync(new URL("../examples/cyber/process-events.jsonl", import.meta.url), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
const detected = (await (await fetch(`${gw.url}/v1/workloads/detect`, { method: "POST", headers: await auth("analyst"), body: JSON.stringify({
  rules: [readFileSync(new URL("../examples/cyber/encoded-powershell.yml", import.meta.url), "utf8")],
  events: Array.from({ length: 10_000 }, (_, i) => ({ ...exampleEvents[i % exampleEvents.length], Computer: `ws-${i % 97}` })),
}) })).json()) as { alert_ids: string[] };

const cookies: Record<string, string> = { analyst: await session("analyst"), reviewer: await session("reviewer"), "nation-admin": await session("nation-admin"), auditor: await session("auditor") };
const pages: Array<[string, string, string]> = [
  ["sign-in", "/console/sign-in", ""],
  ["chat", "/console/chat", cookies["analyst"]!],
  ["documents (search)", "/console/documents?q=fuel", cookies["analyst"]!],
  ["logistics (form)", "/console/logistics", cookies["analyst"]!],
  ["comms (form)", "/console/comms", cookies["analyst"]!],
  ["reviews", "/console/reviews", cookies["reviewer"]!],
  ["governance", "/console/governance", cookies["nation-admin"]!],
  ["audit", "/console/audit", cookies["auditor"]!],
  ["audit entry", "/console/audit/1", cookies["auditor"]!],
  ["operations", "/console/operations", cookies["nation-admin"]!],
  ["alerts", "/console/alerts", cookies["analyst"]!],
  ["alerts (filter, page 3)", "/console/alerts?host=ws-5&level=high&offset=50", cookies["analyst"]!],
  ["alerts (search)", "/console/alerts?q=encodedcommand", cookies["analyst"]!],
  ["alert", `/console/alerts/${detected.alert_ids[0]}`, cookies["analyst"]!],
];

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
console.log(`console pages, ${N} sequential requests each (p50 / p99 ms, server render incl. its API calls), compressed JS loaded`);
console.log("page".padEnd(22) + "p50 ms".padStart(9) + "p99 ms".padStart(9) + "  JS gzip bytes");
for (const [name, path, cookie] of pages) {
  const get = () => fetch(gw.url + path, { headers: cookie ? { cookie } : {} });
  let body = "";
  for (let i = 0; i < 5; i++) body = await (await get()).text();
  const times: number[] = [];
  for (let i = 0; i < N; i++) {
    const t = process.hrtime.bigint();
    const res = await get();
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  let js = 0;
  for (const m of body.matchAll(/<script type="module" src="([^"]+)"/g)) {
    const r = await fetch(gw.url + m[1], { headers: { "accept-encoding": "gzip" } });
    js += Number(r.headers.get("content-length") ?? (await r.arrayBuffer()).byteLength);
  }
  console.log(name.padEnd(22) + pct(times, 50).toFixed(2).padStart(9) + pct(times, 99).toFixed(2).padStart(9) + `  ${js}`);
}
await gw.close();
await upstream.close();
