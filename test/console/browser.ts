import { existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";

/** Debian's chromium driven by playwright-core, for the console's browser tests. */
export const CHROMIUM = "/usr/bin/chromium";
export const skipBrowser: string | false = existsSync(CHROMIUM) ? false : `Debian chromium is not installed at ${CHROMIUM} (apt-get install chromium)`;

const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export async function launch(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  // launch() gives every browser a fresh temporary profile; the directory below is for its downloads only.
  const downloads = mkdtempSync(join(tmpdir(), "concord-console-dl-"));
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, downloadsPath: downloads });
}

export async function newPage(browser: Browser, locale = "en-GB"): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale, viewport: { width: 1200, height: 900 }, reducedMotion: "reduce" });
  return { context, page: await context.newPage() };
}

export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"];

/** Axe over the whole page with the WCAG 2.0–2.2 A/AA rules: the violations, as short readable lines. */
export async function axe(page: Page): Promise<string[]> {
  const { AxeBuilder } = await import("@axe-core/playwright");
  const r = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")})`);
}

/**
 * Saves a full-page screenshot as console-<name>.png: into docs/img only when CONCORD_SCREENSHOTS=docs (to refresh
 * the documentation's pictures), else into a temporary folder, so a test run never changes tracked files.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env["CONCORD_SCREENSHOTS"] === "docs" ? join(import.meta.dirname, "..", "..", "docs", "img") : join(tmpdir(), "concord-console-screenshots");
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `console-${name}.png`), fullPage: true });
}

export async function signIn(page: Page, base: string, nation: string, role: string, name: string): Promise<void> {
  // A visitor already sent to sign-in keeps the page they asked for (the form's `back`).
  if (!page.url().includes("/console/sign-in")) await page.goto(`${base}/console/sign-in`);
  await page.getByLabel("Nation", { exact: true }).selectOption(nation);
  await page.getByLabel("Role", { exact: true }).selectOption(role);
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/console(\/|$)/);
}
