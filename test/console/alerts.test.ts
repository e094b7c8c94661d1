import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Browser } from "playwright-core";
import { DEMO_ALLIANCE } from "../../src/config/index.ts";
import type { RunningServer } from "../../src/server/index.ts";
import { startGateway } from "../helpers/gateway.ts";
import { axe, launch, newPage, screenshot, signIn, skipBrowser } from "./browser.ts";

// The alerts page end to end in chromium on the demo alliance: logs pasted and detected (the form comes filled
// with examples/cyber), a value filtered for, an alert acknowledged, annotated and closed with a reason.
describe("console alerts in chromium", { skip: skipBrowser }, () => {
  let gw: RunningServer, browser: Browser;
  before(async () => {
    const { data_dir: _d, audit: _a, store: _s, endpoints: _e, ...demo } = DEMO_ALLIANCE;
    gw = await startGateway({ ...demo, endpoints: [] });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await gw?.close().catch(() => {});
  });

  test("a DEU analyst detects, filters for a value, acknowledges and closes an alert with a reason; FRA sees none", async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, gw.url, "DEU", "analyst", "anna");
    await page.getByRole("navigation", { name: "Console sections" }).getByRole("link", { name: "Alerts" }).click();
    await page.getByText("Run detection on logs").click();
    await page.getByRole("button", { name: "Run detection" }).click();
    await page.locator(".flash", { hasText: "4 events checked, 2 alerts raised." }).waitFor();
    assert.equal(await page.locator("table tbody tr").count(), 2);
    assert.deepEqual(await axe(page), [], "axe violations on the alerts list");

    await page.getByRole("link", { name: "Filter for Host srv-bonn-02" }).first().click();
    assert.match(page.url(), /[?&]host=srv-bonn-02/);
    assert.equal(await page.locator("table tbody tr").count(), 1);
    await page.getByRole("link", { name: "Remove the filter Host = srv-bonn-02" }).waitFor();
    await screenshot(page, "alerts");

    await page.locator("table tbody tr").first().getByRole("link", { name: "Encoded PowerShell command line" }).click();
    await page.getByRole("button", { name: "Acknowledge" }).click();
    await page.locator(".flash", { hasText: "Alert acknowledged." }).waitFor();
    await page.getByLabel("Note", { exact: true }).fill("Backup service account; checking with the Bonn operator.");
    await page.getByRole("button", { name: "Add the note" }).click();
    await page.locator(".flash", { hasText: "Note added." }).waitFor();
    await page.getByLabel("Reason for closing").selectOption("false_positive");
    await page.getByLabel("Comment (optional)").fill("scheduled backup job");
    await page.getByRole("button", { name: "Close the alert" }).click();
    await page.locator(".flash", { hasText: "Alert closed." }).waitFor();
    assert.match(await page.locator("dl").nth(1).innerText(), /Closed \(False positive: scheduled backup job\)/);
    const history = await page.locator("table", { hasText: "History" }).locator("tbody tr td:nth-child(3)").allInnerTexts();
    assert.deepEqual(history, ["Raised", "Acknowledged", "Note added", "Closed"]);
    assert.deepEqual(await axe(page), [], "axe violations on an alert's page");
    await screenshot(page, "alert");

    await page.getByRole("link", { name: "Filter for Status Closed" }).first().click();
    assert.equal(await page.locator("table tbody tr").count(), 1);
    await page.locator("table tbody tr").first().getByRole("link", { name: "Encoded PowerShell command line" }).click();
    await page.getByRole("link", { name: /^Filter for CommandLine powershell\.exe -EncodedCommand/ }).click();
    assert.match(page.url(), /[?&]field=CommandLine&value=powershell/);
    assert.equal(await page.locator("table tbody tr").count(), 1, "one alert has that command line");
    await context.close();

    const fra = await newPage(browser);
    await signIn(fra.page, gw.url, "FRA", "analyst", "luc");
    await fra.page.goto(`${gw.url}/console/alerts`);
    await fra.page.getByText("No alerts match.").waitFor();
    await fra.context.close();
  });
});
