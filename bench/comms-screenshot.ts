// Renders the report of the sample corpus (examples/comms) in headless Chromium and saves the screenshot the
// README shows: npx tsx bench/comms-screenshot.ts [out.png]   (needs Debian chromium)
import { writeFile, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { analyzeMessages, createPseudonymizer, readCorpusFile, renderReport } from "../src/workloads/comms/index.ts";

const out = process.argv[2] ?? "docs/img/comms-report.png";
const analysis = analyzeMessages(readCorpusFile("examples/comms/winter-bridge.jsonl"), { purpose: "exercise after-action review", group_by: ["channel", "day", "official_account"] }, {
  pseudonymize: createPseudonymizer({ key: Buffer.alloc(32, 7), salt: Buffer.alloc(16, 1), officialAccounts: ["press.office@alliance.example"] }),
});
for await (const _ of analysis.results) { /* drain */ }
const html = renderReport(analysis.summary(), { title: "Communications analysis: Exercise Winter Bridge (sample)", generatedAt: new Date("2026-02-17T09:00:00Z") });
const file = join(await mkdtemp(join(tmpdir(), "concord-report-")), "report.html");
await writeFile(file, html);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"] });
try {
  const page = await browser.newPage({ viewport: { width: 820, height: 1000 } });
  await page.goto(`file://${file}`);
  await page.screenshot({ path: out, fullPage: true });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
}
