/// <reference lib="dom" />
/**
 * @module The usage, settings, translator and CLI-tools pages in Debian's Chromium (headless, puppeteer-core)
 * against the real gateway subprocess and a fake OpenAI upstream: a chat from the chat tester streams in and shows
 * in the live monitor, the overview's recent requests and the usage page; prices, budgets and settings validate
 * inline; a prompt set runs on the test bench; the database is exported and imported back; a CLI config is written
 * to a temp HOME after its diff. Screenshots of every page at 1280 and 375 px go to tests/artifacts/screenshots/.
 */
import assert from "node:assert/strict";
import type { Browser, Page } from "puppeteer-core";
import { go, hasChromium, launchChromium, openPage, shoot, SHOTS, waitForText } from "../helpers/browser.ts";
import { DEFAULT_TEXT, startFakeOpenAI } from "../helpers/fake_openai.ts";
import { makeRoot, removeRoot, startGateway } from "../helpers/server.ts";

const PASSWORD = "browser-tools-password";

const hasBrowser = hasChromium("dashboard tools browser test");

/** Every input, select and textarea on the page has a label (or an aria label). */
async function assertLabelled(page: Page, name: string): Promise<void> {
  const bad = await page.$$eval(
    "main input:not([type=hidden]), main select, main textarea",
    (els) =>
      els.filter((el) => {
        const id = el.getAttribute("id");
        return !el.closest("label") && !el.getAttribute("aria-label") &&
          !(id && document.querySelector(`label[for="${id}"]`));
      }).map((el) => el.outerHTML.slice(0, 80)),
  );
  assert.deepEqual(bad, [], `${name}: inputs without a label`);
}

Deno.test({
  name: "dashboard tools in Chromium: chat tester → live monitor, overview, usage; settings; bench; import; CLI write",
  ignore: !hasBrowser,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await Deno.mkdir(SHOTS, { recursive: true });
    const fake = startFakeOpenAI();
    const root = await makeRoot();
    const home = `${root}/home`;
    await Deno.mkdir(home, { recursive: true });
    const profile = await Deno.makeTempDir({ prefix: "sy-chromium-tools-" });
    const denoDir = Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`;
    const gw = await startGateway({
      root,
      env: { INITIAL_PASSWORD: PASSWORD, LOG_LEVEL: "warn", HOME: home, DENO_DIR: denoDir },
    });
    let browser: Browser | undefined;
    try {
      browser = await launchChromium(profile);
      const { page, errors } = await openPage(browser);
      const base = gw.url;

      await go(page, `${base}/login`);
      await page.type("#password", PASSWORD);
      await Promise.all([page.waitForNavigation(), page.click("main button[type=submit]")]);
      // A connection to the fake upstream, through the management API with the session's CSRF token.
      const status = await page.evaluate(async (baseUrl: string) => {
        const csrf = JSON.parse(document.body.getAttribute("hx-headers")!)["x-csrf-token"];
        const res = await fetch("/api/connections", {
          method: "POST",
          headers: { "content-type": "application/json", "x-csrf-token": csrf },
          body: JSON.stringify({ provider: "openai", name: "work", apiKey: "sk-tools-0123456789", baseUrl }),
        });
        return res.status;
      }, fake.baseUrl);
      assert.ok(status < 300, `connection create answered ${status}`);

      // Live monitor in a second tab, chat tester in the first.
      const monitor = await browser.newPage();
      await monitor.setViewport({ width: 1280, height: 800 });
      await go(monitor, `${base}/translator?tab=live`);
      await waitForText(monitor, "Connected");
      await page.bringToFront();
      await go(page, `${base}/translator?tab=chat`);
      await assertLabelled(page, "chat");
      await page.$eval("#chat-model", (el) => (el as HTMLInputElement).value = "openai/gpt-4.1");
      await page.type("#chat-message", "Say hello");
      await page.click("#chat-send");
      await page.waitForFunction(
        (t: string) => document.getElementById("chat-out")?.textContent === t,
        {},
        DEFAULT_TEXT,
      );
      await page.waitForFunction(() => /Done in \d+ ms/.test(document.getElementById("chat-meta")!.textContent!));
      await shoot(page, "translator-chat");
      await monitor.waitForFunction(() =>
        document.querySelector("#live-rows tr td.mono")?.textContent === "openai/gpt-4.1"
      );
      await shoot(monitor, "translator-live");
      await monitor.close();
      await page.bringToFront();

      await go(page, `${base}/`);
      await page.waitForFunction(() =>
        [...document.querySelectorAll("main table td")].some((td) => td.textContent === "openai/gpt-4.1")
      );

      // Logs: the chat tester's request is listed, and its detail shows the route trace.
      await go(page, `${base}/logs`);
      await waitForText(page, "openai/gpt-4.1");
      await page.click("main table a[href^='/logs/req_']");
      await page.waitForSelector("main ol li, main ul li");
      await waitForText(page, "answered");

      // Usage: the chat is counted; pricing and budgets validate inline.
      await go(page, `${base}/usage?range=24h`);
      await waitForText(page, "openai/gpt-4.1");
      await page.waitForSelector("svg.chart");
      await shoot(page, "usage");
      await page.click("a[href^='/usage?tab=pricing']");
      await page.waitForSelector("#price-model");
      await page.type("#price-model", "my-model");
      await page.type("#price-input", "-1");
      await page.type("#price-output", "2");
      await page.click("#set-price-h ~ form button[type=submit]");
      await page.waitForSelector("#price-input-error");
      await page.$eval("#price-input", (el) => (el as HTMLInputElement).value = "1.25");
      await page.click("#set-price-h ~ form button[type=submit]");
      await waitForText(page, "Price of openai/my-model saved.");
      await shoot(page, "usage-pricing");
      await page.click("a[href^='/usage?tab=budgets']");
      await page.waitForSelector("#set-budget-h");
      await shoot(page, "usage-budgets");

      // Translator playground and test bench.
      await go(page, `${base}/translator`);
      await page.click("main form button[type=submit]");
      await page.waitForSelector("#pg-out");
      assert.match(await page.$eval("#pg-out", (el) => el.textContent!), /"system": "Be brief\."/);
      await assertLabelled(page, "playground");
      await shoot(page, "translator-playground");
      await go(page, `${base}/translator?tab=bench`);
      await page.type("#set-name", "basics");
      await page.type("#set-prompts", "What is 2+2?\nName a colour.");
      await page.click("#sets-h ~ form button[type=submit]");
      await waitForText(page, "saved (2 prompts)");
      await page.type("#bench-models", "openai/gpt-4.1\nopenai/gpt-4.1-mini");
      await page.click("#run-h ~ form button[type=submit]");
      await waitForText(page, "Results: basics", 15000);
      await shoot(page, "translator-bench");

      // Settings: every tab; a bad value shows on its field; export and import the database.
      for (const tab of ["security", "routing", "resilience", "ai", "advanced"]) {
        await go(page, `${base}/settings?tab=${tab}`);
        await assertLabelled(page, `settings-${tab}`);
        await shoot(page, `settings-${tab}`);
      }
      await go(page, `${base}/settings?tab=routing`);
      await page.$eval("#s-routing-stickyLimit", (el) => (el as HTMLInputElement).value = "0");
      await page.click("#form-h ~ form button[type=submit]");
      await page.waitForSelector("#s-routing-stickyLimit-error");
      await go(page, `${base}/settings?tab=advanced`);
      const bytes = await page.evaluate(async () => {
        const res = await fetch("/settings/db/export");
        return [...new Uint8Array(await res.arrayBuffer())];
      });
      assert.ok(bytes.length > 4096, "the export is a database");
      const file = `${root}/export.sqlite`;
      await Deno.writeFile(file, new Uint8Array(bytes));
      const input = await page.$("#import-file");
      await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(file);
      await page.click("#db-h ~ form button[type=submit]");
      await waitForText(page, "The previous store was saved as backups/pre-import-", 15000);
      await shoot(page, "settings-import");

      // CLI tools: this browser is local, so "write it for me" is offered; the diff comes first.
      await go(page, `${base}/cli-tools?model=openai/gpt-4.1`);
      await assertLabelled(page, "cli-tools");
      await shoot(page, "cli-tools");
      await page.click("button[aria-label^='Preview writing ~/.codex/config.toml']");
      await page.waitForSelector("#preview-codex pre.diff");
      await page.click("#preview-codex form button[type=submit]");
      await waitForText(page, "Wrote ");
      const toml = await Deno.readTextFile(`${home}/.codex/config.toml`);
      assert.match(toml, /base_url = "http:\/\/127\.0\.0\.1:\d+\/v1"/);

      // Keyboard: the tabs are links in the tab order.
      await go(page, `${base}/settings`);
      await page.focus("nav.tabs a[href='/settings?tab=ai']");
      await Promise.all([page.waitForResponse((r) => r.url().includes("tab=ai")), page.keyboard.press("Enter")]);
      await page.waitForSelector("#pc-h");
      assert.deepEqual(errors, [], `page errors: ${errors.join("; ")}`);
    } finally {
      await browser?.close().catch(() => {});
      await gw.stop();
      await fake.close();
      await removeRoot(root);
      await removeRoot(profile);
    }
  },
});
