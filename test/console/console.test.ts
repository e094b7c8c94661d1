import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { startStubUpstream, type StubUpstream } from "../helpers/stub-upstream.ts";
import { call, startGateway } from "../helpers/gateway.ts";
import { mintDemoToken } from "../../src/identity/index.ts";
import { DEMO_ALLIANCE } from "../../src/config/index.ts";
import type { RunningServer } from "../../src/server/index.ts";
import { axe, launch, newPage, screenshot, signIn, skipBrowser } from "./browser.ts";

// The console in a real browser against a gateway with a stub model server: every flow the issue names, an
// axe scan of every page, and the README's screenshots.
describe("console in chromium", { skip: skipBrowser }, () => {
  let upstream: StubUpstream, gw: RunningServer, browser: Browser;
  const admin = (nation: string) => mintDemoToken(gw.gateway.demoKeys.get(nation)!, { nation, role: "nation-admin", subject: `admin-${nation.toLowerCase()}` });

  before(async () => {
    upstream = await startStubUpstream({ answer: "The depot holds **fuel** for nine days." });
    // The demo alliance (eight nations, demo IdPs), its model servers replaced by the stub, its quorum by three
    // nations so that a proposal is adopted by DEU, FRA and POL; data in a temporary directory.
    const { data_dir: _d, audit: _a, store: _s, endpoints: _e, governance: _g, ...demo } = DEMO_ALLIANCE;
    gw = await startGateway({
      ...demo,
      endpoints: [{ id: "deu-vllm", url: upstream.url, jurisdiction: "DEU", models: ["gpt-oss-120b"], provider: "stub model server (test)" }],
      governance: { quorum: 3 },
    });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await gw?.close().catch(() => {});
    await upstream?.close();
  });

  async function clean(page: Page, name: string): Promise<void> {
    assert.deepEqual(await axe(page), [], `axe violations on the ${name} page`);
    await screenshot(page, name);
  }

  test("a demo DEU analyst signs in, streams an answer, and Stop cancels the upstream request", async () => {
    const { context, page } = await newPage(browser);
    await page.goto(`${gw.url}/console/chat`);
    assert.match(page.url(), /\/console\/sign-in\?back=%2Fconsole%2Fchat$/, "anonymous visitors are sent to sign-in");
    await clean(page, "sign-in");
    await signIn(page, gw.url, "DEU", "analyst", "anna");
    assert.match(page.url(), /\/console\/chat$/);
    assert.deepEqual(await page.getByLabel("Model").locator("option").allTextContents(), ["gpt-oss-120b"]);

    await page.getByLabel("Message").fill("How long does the depot's fuel last?");
    await page.getByRole("button", { name: "Send" }).click();
    await page.locator("#live", { hasText: "Answer complete" }).waitFor();
    assert.equal((await page.locator("#answer > p").innerHTML()).trim(), "The depot holds <strong>fuel</strong> for nine days.");
    // The stream's last chunk carried the signed provenance; the answer shows it folded, as a JSON answer's.
    assert.match(await page.locator("#answer details.provenance pre").textContent() ?? "", /^[\w-]+\.[\w-]+\.[\w-]+$/, "a compact JWS");
    assert.match(await page.locator("#ai-label").innerText(), /AI-generated: mode=ai-originated; model="gpt-oss-120b"; provider="deu-vllm"/);
    assert.equal(upstream.hits.at(-1)?.body["stream"], true, "the console streamed from the gateway's own API");
    await clean(page, "chat");

    upstream.mode = "slow-stream";
    upstream.answer = Array.from({ length: 400 }, (_, i) => `word${i}`).join(" ");
    const cancelledBefore = upstream.cancelled;
    await page.getByLabel("Message").fill("Write a long report.");
    await page.getByRole("button", { name: "Send" }).click();
    await page.locator("#answer", { hasText: "word2" }).waitFor();
    await page.getByRole("button", { name: "Stop" }).click();
    await page.locator("#live", { hasText: "Stopped" }).waitFor();
    const deadline = Date.now() + 10_000;
    while (upstream.cancelled === cancelledBefore && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(upstream.cancelled, cancelledBefore + 1, "the upstream saw the cancel");
    assert.ok(!(await page.locator("#answer").innerText()).includes("word399"));
    upstream.mode = "ok";
    await context.close();
  });

  test("a document released to DEU only is found by DEU, not by FRA; it opens, summarizes and grounds a chat answer with [n] citations", async () => {
    const deu = await newPage(browser);
    await signIn(deu.page, gw.url, "DEU", "analyst", "dieter");
    await deu.page.goto(`${gw.url}/console/documents`);
    await deu.page.getByLabel("File").setInputFiles({
      name: "depot-report.md", mimeType: "text/markdown",
      buffer: Buffer.from("# Depot Kestrel report\n\nDepot Kestrel holds fuel for nine days at current consumption.\n\nThe northern road to Depot Kestrel is closed for repairs until March.\n\nConvoys reroute through the river crossing, adding four hours.\n"),
    });
    await deu.page.getByLabel("Germany (DEU)").check();
    await deu.page.getByRole("button", { name: "Upload" }).click();
    await deu.page.locator(".flash", { hasText: "Uploaded" }).waitFor();
    await deu.page.getByLabel("Search terms").fill("Kestrel fuel");
    await deu.page.getByRole("button", { name: "Search" }).click();
    const link = deu.page.getByRole("link", { name: "Depot Kestrel report" });
    await link.waitFor();
    await clean(deu.page, "documents");

    await link.click();
    await deu.page.getByRole("button", { name: "Summarize" }).click();
    const cite = deu.page.locator(".summary a.cite").first();
    assert.equal(await cite.innerText(), "[1]");
    assert.match(await deu.page.locator("#cite-1 a").getAttribute("href") ?? "", /^\/console\/documents\/doc_[0-9a-f]{32}#p0-\d+$/);
    await clean(deu.page, "document");

    // A chat grounded in the documents: the model gets the excerpt, the answer's [1] links to the passage.
    upstream.answer = "Depot Kestrel holds fuel for nine days [1].";
    await deu.page.goto(`${gw.url}/console/chat`);
    await deu.page.getByLabel("Answer from documents released to my nation, with citations").check();
    await deu.page.getByLabel("Message").fill("How long does Depot Kestrel's fuel last?");
    await deu.page.getByRole("button", { name: "Send" }).click();
    await deu.page.locator("#live", { hasText: "Answer complete" }).waitFor();
    const system = (upstream.hits.at(-1)?.body["messages"] as Array<{ role: string; content: string }>)[0]!;
    assert.equal(system.role, "system");
    assert.match(system.content, /\[1\] Depot Kestrel report, paragraph \d+: .*Kestrel/);
    assert.match(await deu.page.locator("#answer a", { hasText: "[1]" }).getAttribute("href") ?? "", /^\/console\/documents\/doc_[0-9a-f]{32}#p0-\d+$/);
    await deu.page.locator("#answer q").first().waitFor();

    const fra = await newPage(browser);
    await signIn(fra.page, gw.url, "FRA", "analyst", "france");
    await fra.page.goto(`${gw.url}/console/documents?q=${encodeURIComponent("Kestrel fuel")}`);
    await fra.page.getByText("No document released to your nation matches.").waitFor();
    // FRA's grounded question finds nothing to give the model: no system message, no sources.
    await fra.page.goto(`${gw.url}/console/chat`);
    await fra.page.getByLabel("Answer from documents released to my nation, with citations").check();
    await fra.page.getByLabel("Message").fill("How long does Depot Kestrel's fuel last?");
    await fra.page.getByRole("button", { name: "Send" }).click();
    await fra.page.locator("#live", { hasText: "Answer complete" }).waitFor();
    assert.deepEqual((upstream.hits.at(-1)?.body["messages"] as Array<{ role: string }>).map((m) => m.role), ["user"]);
    assert.equal(await fra.page.locator("#answer a").count(), 0);
    await deu.context.close();
    await fra.context.close();
  });

  test("a held answer is approved by reviewers of two other nations, four-eyes state shown, then released to the requester", async () => {
    upstream.answer = "Summary: convoy routes are clear.";
    const deu = await newPage(browser);
    await signIn(deu.page, gw.url, "DEU", "analyst", "anna");
    await deu.page.goto(`${gw.url}/console/chat`);
    await deu.page.getByLabel("Purpose").selectOption("intelligence_summary");
    await deu.page.getByLabel("Message").fill("Summarise the convoy reports.");
    await deu.page.getByRole("button", { name: "Send" }).click();
    const held = deu.page.getByRole("link", { name: "Check the review" });
    await held.waitFor();
    const reviewUrl = (await held.getAttribute("href"))!;

    for (const [nation, name] of [["FRA", "francoise"], ["POL", "piotr"]] as const) {
      const r = await newPage(browser);
      await signIn(r.page, gw.url, nation, "reviewer", name);
      await r.page.goto(`${gw.url}/console/reviews`);
      const card = r.page.locator("article.review").first();
      await card.getByText("Summary: convoy routes are clear.").waitFor();
      // The request the result answers sits beside it: the analyst's message with its role.
      await card.getByRole("list", { name: "Messages of the request" }).getByText("Summarise the convoy reports.").waitFor();
      if (nation === "FRA") {
        await card.getByText("Four-eyes: 0 of 2 approvals").waitFor();
        await clean(r.page, "reviews");
      } else {
        await card.getByText("Four-eyes: 1 of 2 approvals").waitFor();
      }
      await card.getByLabel("Comment").fill(`checked by ${name}`);
      await card.getByRole("button", { name: "Approve" }).click();
      await r.page.locator(".flash", { hasText: nation === "FRA" ? "is now pending" : "is now approved" }).waitFor();
      await r.context.close();
    }
    await deu.page.goto(`${gw.url}${reviewUrl}`);
    await deu.page.getByText(/: approved, 2 of 2 approvals/).waitFor();
    assert.equal(await deu.page.locator("#answer").innerText(), "Summary: convoy routes are clear.");
    await deu.context.close();
  });

  test("a policy proposal made in the console shows its diff and is adopted when admins of FRA and POL approve it (quorum 3)", async () => {
    // DEU's admin proposes in the console: the bundle in force, edited as JSON.
    const deu = await newPage(browser);
    await signIn(deu.page, gw.url, "DEU", "nation-admin", "admin-deu");
    await deu.page.goto(`${gw.url}/console/governance`);
    const field = deu.page.getByLabel("Proposed policy bundle (JSON)");
    const bundle = JSON.parse(await field.inputValue());
    bundle.oversight.approvals_required = 3;
    await field.fill(JSON.stringify(bundle, null, 2));
    await deu.page.getByLabel("Summary of the change").fill("three approvals for held results");
    await deu.page.getByRole("button", { name: "Propose" }).click();
    const flash = await deu.page.locator(".flash", { hasText: "is now pending" }).innerText();
    const id = /prop_[A-Za-z0-9_-]+/.exec(flash)![0];
    await deu.context.close();
    const created = { json: (await call(gw.url, `/admin/proposals/${id}`, { token: await admin("DEU") })).json };
    assert.deepEqual(created.json.approved_by, ["DEU"], "proposing is DEU's approval");

    for (const nation of ["FRA", "POL"]) {
      const a = await newPage(browser);
      await signIn(a.page, gw.url, nation, "nation-admin", `admin-${nation.toLowerCase()}`);
      await a.page.goto(`${gw.url}/console/governance`);
      const card = a.page.locator("article.proposal", { hasText: created.json.id });
      const row = card.locator("table.diff tr", { hasText: "oversight.approvals_required" });
      assert.deepEqual(await row.locator("td").allInnerTexts(), ["2", "3"]);
      if (nation === "FRA") await clean(a.page, "governance");
      await card.getByLabel("Comment").fill("agreed");
      await card.getByRole("button", { name: "Approve" }).click();
      await a.page.locator(".flash", { hasText: nation === "POL" ? "is now adopted" : "is now pending" }).waitFor();
      if (nation === "POL") {
        const signed = a.page.locator("dt", { hasText: "Signed by" }).locator("xpath=following-sibling::dd[1]");
        assert.equal(await signed.innerText(), "DEU, FRA, POL");
      }
      await a.context.close();
    }
    assert.equal(gw.gateway.policyVersion(), created.json.bundle_sha256);
  });

  test("a DEU auditor verifies an entry's inclusion and a kept checkpoint's consistency in the page, with WebCrypto", async () => {
    const token = await mintDemoToken(gw.gateway.demoKeys.get("DEU")!, { nation: "DEU", role: "auditor", subject: "audra" });
    const size = (await call(gw.url, "/admin/audit/entries?from=0&to=1", { token })).json.tree_size as number;
    const kept = (await call(gw.url, `/admin/audit/proof/inclusion?index=${size - 1}`, { token })).json.checkpoint as string;
    const { context, page } = await newPage(browser);
    await signIn(page, gw.url, "DEU", "auditor", "audra");
    await page.goto(`${gw.url}/console/audit?nation=DEU&decision=allow`);
    await clean(page, "audit");
    assert.ok(await page.locator("tbody tr td a").count() > 0, "DEU's allowed entries are listed");

    // The search form (a plain GET form: no script needed) finds one entry by its leaf hash, server-side.
    const mine = (await call(gw.url, "/admin/audit/search?nation=DEU&decision=allow&limit=2", { token })).json.data as { index: number; leaf_hash: string }[];
    const [older, newest] = mine as [{ index: number; leaf_hash: string }, { index: number; leaf_hash: string }];
    await page.getByLabel("Decision").selectOption("");
    await page.getByLabel("Hash (leaf or request SHA-256)").fill(older.leaf_hash);
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/hash=/);
    assert.deepEqual(await page.locator("tbody tr td:first-child").allInnerTexts(), [String(older.index)]);
    // A page below the newest match links to the next one, the filters kept in the link.
    await page.goto(`${gw.url}/console/audit?nation=DEU&decision=allow&before=${newest.index}`);
    const next = new URL(await page.getByRole("link", { name: "Next entries" }).getAttribute("href") ?? "", gw.url);
    assert.deepEqual(Object.fromEntries(next.searchParams), { nation: "DEU", decision: "allow", after: String(older.index) });
    await page.getByRole("link", { name: "Next entries" }).click();
    assert.ok((await page.locator("tbody tr td:first-child").allInnerTexts()).includes(String(newest.index)));
    // The newest entry: its proof needs a checkpoint newer than the one kept above.
    const index = ((await call(gw.url, "/admin/audit/entries?from=0&to=1", { token })).json.tree_size as number) - 1;
    assert.ok(index >= size);
    await page.goto(`${gw.url}/console/audit/${index}`);
    await page.getByRole("heading", { name: `Audit entry ${index}` }).waitFor();
    await page.getByRole("button", { name: "Verify inclusion" }).click();
    const result = page.locator("#inclusion-result[data-state]");
    await result.waitFor();
    assert.equal(await result.getAttribute("data-state"), "verified", await result.innerText());
    assert.match(await result.innerText(), new RegExp(`entry ${index} is included in the signed tree`));

    await page.getByLabel("Older checkpoint (signed note)").fill(kept);
    await page.getByRole("button", { name: "Verify consistency" }).click();
    const cons = page.locator("#consistency-result[data-state]");
    await cons.waitFor();
    assert.equal(await cons.getAttribute("data-state"), "verified", await cons.innerText());
    const [, to, from] = /the log of (\d+) entries extends your checkpoint of (\d+) entries/.exec(await cons.innerText()) ?? [];
    assert.equal(Number(from), Number(kept.split("\n")[1]));
    assert.ok(Number(to) > Number(from));
    await clean(page, "audit-entry");

    // A key other than the log's: the same page refuses the checkpoint.
    await page.getByLabel("Log verifier key").fill((await page.getByLabel("Log verifier key").inputValue()).replace(/\+[0-9a-f]{8}\+/, "+00000000+"));
    await page.getByRole("button", { name: "Verify inclusion" }).click();
    await page.locator('#inclusion-result[data-state="failed"]').waitFor();
    await context.close();
  });

  test("an analyst solves an infeasible logistics scenario and reads the tables, bars and the diagnosis of each shortfall", async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, gw.url, "DEU", "analyst", "lena");
    await page.goto(`${gw.url}/console/logistics`);
    await page.getByLabel("Example scenario").selectOption("infeasible-winter-storm.yaml");
    await page.getByRole("button", { name: "Load" }).click();
    assert.match(await page.getByLabel("Scenario (YAML or JSON)").inputValue(), /winter storm/);
    await page.getByRole("button", { name: "Solve" }).click();
    await page.getByRole("heading", { name: "Why demands cannot be met" }).waitFor();
    assert.match(await page.locator("#plan-h + p").innerText(), /Every demand met: no\./);
    assert.ok(await page.locator("table", { hasText: "Deliveries" }).locator("meter").count() > 0);
    await clean(page, "logistics");
    await context.close();
  });

  test("a comms analysis held for review is read by the analyst as a report once reviewers of other nations approve it", async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, gw.url, "DEU", "analyst", "anna");
    await page.goto(`${gw.url}/console/comms`);
    await page.getByLabel("Translate to").selectOption("");
    await page.getByRole("button", { name: "Run the analysis" }).click();
    const poll = page.getByRole("link", { name: "Check the review" });
    await poll.waitFor();
    const id = /rev_[A-Za-z0-9_-]+/.exec((await poll.getAttribute("href"))!)![0];
    // The proposal adopted above raised the bar to three approvals; reviewers of three other nations give them.
    const requester = await mintDemoToken(gw.gateway.demoKeys.get("DEU")!, { nation: "DEU", role: "analyst", subject: "anna" });
    const required = (await call(gw.url, `/v1/reviews/${id}`, { token: requester })).json.approvals_required as number;
    for (const nation of ["FRA", "POL", "ITA", "NOR"].slice(0, required)) {
      const reviewer = await mintDemoToken(gw.gateway.demoKeys.get(nation)!, { nation, role: "reviewer", subject: `rev-${nation}` });
      assert.equal((await call(gw.url, `/admin/reviews/${id}/approve`, { token: reviewer, body: {} })).status, 200);
    }
    await poll.click();
    await page.getByRole("heading", { name: "Report" }).waitFor();
    assert.ok(await page.locator("table", { hasText: "Each message" }).locator("tbody tr").count() > 5);
    assert.ok(!(await page.content()).includes("sgt.novak@army.example"), "authors are pseudonymised");
    await clean(page, "comms");
    await context.close();
  });

  test("keyboard only: the skip link comes first with a visible focus, and sign-in and a streamed answer need no pointer", async () => {
    upstream.mode = "ok";
    upstream.answer = "Keyboard answer.";
    const { context, page } = await newPage(browser);
    await page.goto(`${gw.url}/console/sign-in`);
    // Evaluated in the page (a string: this file is type-checked without the DOM library).
    const focused = () => page.evaluate(`(() => { const a = document.activeElement; return { id: a?.id ?? "", cls: a?.className ?? "", text: a?.textContent?.trim() ?? "", outline: a ? getComputedStyle(a).outlineStyle : "" }; })()`) as Promise<{ id: string; cls: string; text: string; outline: string }>;
    await page.keyboard.press("Tab");
    const skip = await focused();
    assert.equal(skip.cls, "skip-link");
    assert.notEqual(skip.outline, "none", "focus is visible");
    await page.keyboard.press("Enter");
    assert.equal((await focused()).id, "main");
    /** Tabs forward to the element with this id, failing if it is not reachable by keyboard. */
    const tabTo = async (id: string) => {
      for (let i = 0; i < 25; i++) {
        if ((await focused()).id === id) return;
        await page.keyboard.press("Tab");
      }
      assert.fail(`#${id} is not reachable with Tab`);
    };
    await tabTo("nation");
    await tabTo("role");
    await tabTo("name");
    await page.keyboard.type("kim");
    await page.keyboard.press("Tab");
    assert.equal((await focused()).text, "Sign in");
    await page.keyboard.press("Enter");
    await page.waitForURL(`${gw.url}/console`);
    await page.goto(`${gw.url}/console/chat`);
    await tabTo("message");
    await page.keyboard.type("Hello by keyboard");
    await tabTo("send");
    await page.keyboard.press("Enter");
    await page.locator("#live", { hasText: "Answer complete" }).waitFor();
    assert.equal(await page.locator("#answer > p").innerText(), "Keyboard answer.");
    await context.close();
  });

  test("the guard applies through the console: a message marked above the ceiling is refused, the refusal announced", async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, gw.url, "DEU", "analyst", "anna");
    await page.goto(`${gw.url}/console/chat`);
    const hits = upstream.hits.length;
    await page.getByLabel("Message").fill("SECRET//REL TO USA\nSummarise the attached plan.");
    await page.getByRole("button", { name: "Send" }).click();
    await page.locator('#answer[data-state="failed"]').waitFor();
    await page.locator("#live", { hasText: "The answer failed:" }).waitFor();
    assert.match(await page.locator("#live").innerText(), /^The answer failed: .*(SECRET|ceiling|classif)/i);
    assert.equal(upstream.hits.length, hits, "nothing reached the model server");
    await context.close();
  });

  test("a nation admin sees the endpoints with their jurisdiction and health, their nation's quota use and the last hour's rates as a chart with its data", async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, gw.url, "DEU", "nation-admin", "ada");
    await page.getByRole("navigation", { name: "Console sections" }).getByRole("link", { name: "Operations" }).click();
    const endpoints = page.locator("table", { hasText: "Model endpoints" });
    assert.deepEqual(await endpoints.locator("tbody td").allInnerTexts().then((t) => t.slice(0, 3)), ["deu-vllm", "DEU", "healthy"]);
    const usage = page.locator("table", { hasText: "Quota use by nation" }).locator("tbody tr");
    assert.equal(await usage.count(), 1);
    assert.equal(await usage.locator("th").first().innerText(), "DEU");
    assert.match(await usage.locator("td").first().innerText(), /^\d+ of 600 \(/, "requests this minute against DEU's budget");
    // Earlier tests had DEU chat: the chart says so in words, and its table holds the same minutes.
    const chart = page.getByRole("img", { name: /^DEU, last hour: \d+ requests/ });
    await chart.waitFor();
    assert.ok(await chart.locator("rect.req").count() >= 1, "at least one minute has a bar");
    await page.getByText("DEU: the chart's data, a minute a row").first().click();
    const rows = page.locator("table", { hasText: "Minute (UTC)" }).locator("tbody tr");
    assert.equal(await rows.count(), 60);
    const [, total] = /last hour: (\d+) requests/.exec(await page.locator("#rates-DEU").innerText()) ?? [];
    const sum = (await rows.locator("td:nth-of-type(1)").allInnerTexts()).reduce((s, x) => s + Number(x.replace(/\D/g, "")), 0);
    assert.equal(sum, Number(total), "the table's minutes add up to the chart's summary");
    await clean(page, "operations");
    await context.close();

    const alliance = await newPage(browser);
    await signIn(alliance.page, gw.url, "FRA", "alliance-admin", "alix");
    await alliance.page.goto(`${gw.url}/console/operations`);
    const nations = await alliance.page.locator("table", { hasText: "Quota use by nation" }).locator("tbody th").allInnerTexts();
    assert.deepEqual(nations, Object.keys(DEMO_ALLIANCE.nations).sort(), "the alliance admin sees every nation");
    await alliance.context.close();
  });

  test("the interface follows Accept-Language (French) and the language chosen in the footer", async () => {
    const { context, page } = await newPage(browser, "fr-FR");
    await page.goto(`${gw.url}/console/sign-in`);
    assert.equal(await page.locator("html").getAttribute("lang"), "fr");
    await page.getByLabel("Langue").selectOption("en");
    await page.getByRole("button", { name: "Changer de langue" }).click();
    assert.equal(await page.locator("html").getAttribute("lang"), "en");
    await context.close();
  });
});
