/**
 * @module Shared pieces of the browser end-to-end tests: Debian's Chromium through puppeteer-core (headless, no
 * background traffic: this workplace's network is closed), screenshots at desktop and 375 px, and small waits.
 */
import assert from "node:assert/strict";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { REPO_ROOT } from "./server.ts";

export const CHROMIUM = "/usr/bin/chromium";
export const SHOTS = `${REPO_ROOT}/tests/artifacts/screenshots`;

/** True when Debian's chromium is installed (CI installs it; the tests skip with a message otherwise). */
export function hasChromium(testName: string): boolean {
  try {
    if (Deno.statSync(CHROMIUM).isFile) return true;
  } catch { /* missing */ }
  console.warn(`${testName} skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);
  return false;
}

/** Headless Chromium with a throwaway profile and every flag that keeps it off the network. */
export async function launchChromium(profile: string): Promise<Browser> {
  return await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${profile}`,
    ],
  });
}

/** A desktop-sized page that collects script errors and accepts confirm dialogs. */
export async function openPage(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  page.setDefaultTimeout(8000);
  const errors: string[] = [];
  page.on("pageerror", (err) => errors.push(String(err)));
  page.on("dialog", (d) => void d.accept());
  await page.setViewport({ width: 1280, height: 800 });
  return { page, errors };
}

/** Full-page screenshots at desktop and phone widths; fails a page that scrolls sideways at 375 px. */
export async function shoot(page: Page, name: string): Promise<void> {
  await page.setViewport({ width: 1280, height: 800 });
  await page.screenshot({ path: `${SHOTS}/${name}-desktop.png`, fullPage: true });
  await page.setViewport({ width: 375, height: 740, isMobile: true, hasTouch: true });
  await page.screenshot({ path: `${SHOTS}/${name}-375.png`, fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - globalThis.innerWidth);
  assert.ok(overflow <= 1, `${name} scrolls sideways at 375 px (by ${overflow} px)`);
  await page.setViewport({ width: 1280, height: 800 });
}

/** Waits until the page's text contains `text` (htmx swaps are asynchronous). */
export async function waitForText(page: Page, text: string, timeout = 8000): Promise<void> {
  await page.waitForFunction((t: string) => document.body.innerText.includes(t), { timeout }, text);
}

/** Navigates and insists on a 200. */
export async function go(page: Page, url: string): Promise<void> {
  const res = await page.goto(url, { waitUntil: "load" });
  assert.equal(res?.status(), 200, `${url} answered ${res?.status()}`);
}
