import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { analyzeMessages, createPseudonymizer, readCorpusFile, renderReport } from "../../src/workloads/comms/index.ts";

const CHROMIUM = "/usr/bin/chromium";
const skip = existsSync(CHROMIUM) ? false : "Debian chromium is not installed (apt-get install chromium)";

async function sampleReport(): Promise<string> {
  const analysis = analyzeMessages(readCorpusFile(join(import.meta.dirname, "../../examples/comms/winter-bridge.jsonl")), { purpose: "after-action review <test>", group_by: ["channel", "day", "official_account"] }, {
    pseudonymize: createPseudonymizer({ key: Buffer.alloc(32, 3), officialAccounts: ["press.office@alliance.example"] }),
  });
  for await (const _ of analysis.results) { /* drain */ }
  return renderReport(analysis.summary(), { generatedAt: new Date("2026-02-17T09:00:00Z") });
}

test("the report is one self-contained document: no script, no external reference, content escaped", async () => {
  const html = await sampleReport();
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//i);
  assert.match(html, /after-action review &lt;test&gt;/);
  assert.equal((html.match(/<svg role="img"/g) ?? []).length, 3);
  assert.ok(!html.includes("sgt.novak@army.example"), "authors appear only as pseudonyms");
  assert.match(html, /press\.office@alliance\.example/);
});

test("message text is escaped: markup in a message cannot become markup in the report", async () => {
  const analysis = analyzeMessages([{ id: "x", text: 'Terrible <script>alert(1)</script><img src=x onerror="alert(2)"> delays', time: "2026-02-10T10:00:00Z" }], {}, {
    pseudonymize: createPseudonymizer({ key: Buffer.alloc(32, 3) }),
  });
  for await (const _ of analysis.results) { /* drain */ }
  const html = renderReport(analysis.summary());
  assert.doesNotMatch(html, /<script|<img/i);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;&lt;img src=x onerror=&quot;alert\(2\)&quot;&gt;/);
});

test("the report renders in headless Chromium without console errors or network requests", { skip }, async () => {
  const { chromium } = await import("playwright-core");
  const file = join(await mkdtemp(join(tmpdir(), "concord-report-")), "report.html");
  await writeFile(file, await sampleReport());
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"] });
  try {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`); });
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    page.on("request", (r) => { if (!r.url().startsWith("file:")) problems.push(`request: ${r.url()}`); });
    await page.goto(`file://${file}`);
    assert.deepEqual(problems, []);
    assert.equal(await page.locator("svg[role=img]").count(), 3);
    assert.equal(await page.locator("h2", { hasText: "Most negative messages" }).count(), 1);
    const box = await page.locator("svg[aria-labelledby=series-title]").boundingBox();
    assert.ok(box && box.width > 300 && box.height > 100);
  } finally {
    await browser.close();
  }
});
