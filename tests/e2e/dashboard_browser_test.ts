/// <reference lib="dom" />
/**
 * @module The dashboard in a real browser: Debian's Chromium, headless, driven by puppeteer-core against the real
 * gateway subprocess and a fake OpenAI upstream. Logs in, adds a connection and tests it, builds a combo and
 * previews its route, creates a key, trips a breaker and force-unlocks it, changes nothing it does not check.
 * Saves a full-page screenshot of every page (1280 px and 375 px) under tests/artifacts/screenshots/.
 * Skips, saying why, only when /usr/bin/chromium is absent (CI installs it).
 */
import assert from "node:assert/strict";
import type { Browser } from "puppeteer-core";
import { go, hasChromium, launchChromium, openPage, shoot, SHOTS, waitForText } from "../helpers/browser.ts";
import { startFakeOpenAI } from "../helpers/fake_openai.ts";
import { makeRoot, removeRoot, startGateway } from "../helpers/server.ts";

const PASSWORD = "browser-test-password";
const PROVIDER_KEY = "sk-browser-provider-key-5f4e3d2c1b0a";

const hasBrowser = hasChromium("dashboard browser test");

Deno.test({
  name: "dashboard in Chromium: login, connection add + test, combo + preview, key, breaker trip + unlock",
  ignore: !hasBrowser,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await Deno.mkdir(SHOTS, { recursive: true });
    const fake = startFakeOpenAI();
    const root = await makeRoot();
    const profile = await Deno.makeTempDir({ prefix: "sy-chromium-" });
    const gw = await startGateway({
      root,
      config: {
        settings: {
          resilience: { requestTimeoutMs: 2000, profiles: { local: { failureThreshold: 2, openMs: 600_000 } } },
        },
      },
      env: { INITIAL_PASSWORD: PASSWORD, LOG_LEVEL: "warn", ENABLE_REQUEST_LOGS: "true" },
    });
    let browser: Browser | undefined;
    try {
      browser = await launchChromium(profile);
      const { page, errors } = await openPage(browser);
      const base = gw.url;

      // 1. Login (and the redirect of / without a session).
      await go(page, `${base}/`);
      assert.match(page.url(), /\/login$/);
      await shoot(page, "login");
      await page.type("#password", "wrong-password");
      await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
      await waitForText(page, "Wrong password");
      await page.type("#password", PASSWORD);
      await Promise.all([page.waitForNavigation(), page.click("main button[type=submit]")]);
      assert.equal(new URL(page.url()).pathname, "/");
      await waitForText(page, "Overview");

      // 2. Providers: catalog, add a connection against the fake upstream, test it.
      await go(page, `${base}/providers`);
      await shoot(page, "providers");
      await go(page, `${base}/providers/openai`);
      await page.type("#name", "work");
      await page.type("#apiKey", PROVIDER_KEY);
      await page.type("#baseUrl", "ftp://127.0.0.1/v1");
      await page.click("#add-h ~ form button[type=submit]");
      await page.waitForSelector("#baseUrl-error");
      await page.$eval("#baseUrl", (el) => (el as HTMLInputElement).value = "");
      await page.type("#baseUrl", fake.baseUrl);
      await page.type("#apiKey", PROVIDER_KEY);
      await page.click("#add-h ~ form button[type=submit]");
      await waitForText(page, `Connection "work" added.`);
      const html = await page.content();
      assert.ok(!html.includes(PROVIDER_KEY), "the provider key came back to the browser");
      await page.click("table form[action$='/test'] button");
      await page.waitForFunction(() => /OK: HTTP 200/.test(document.querySelector("[id^=test-]")?.textContent ?? ""));
      await shoot(page, "provider-openai");

      // 4. Combos: build one, reorder, preview its route through the real planner; add an alias.
      await go(page, `${base}/combos`);
      await page.type("#combo-name", "coding");
      await page.type("#combo-models", "openai/gpt-4.1-mini\nopenai/gpt-4.1");
      await page.click("#combos-h ~ form button[type=submit]");
      await waitForText(page, `Combo "coding" created.`);
      await page.click("button[aria-label='Move openai/gpt-4.1 up']");
      await waitForText(page, `Combo "coding" reordered.`);
      await page.type("#alias-pattern", "gpt-*");
      await page.type("#alias-target", "openai/gpt-*");
      await page.click("#aliases-h ~ form.inline-form button[type=submit]");
      await waitForText(page, `Alias "gpt-*" → "openai/gpt-*" saved.`);
      await page.type("#preview-model", "coding");
      await page.click("#preview-h ~ form button[type=submit]");
      await page.waitForSelector("#preview ol li");
      const order = await page.$$eval("#preview ol li code", (els) => els.map((e) => e.textContent));
      assert.deepEqual(order, ["openai/gpt-4.1", "openai/gpt-4.1-mini"]);
      await shoot(page, "combos");

      // 5. API keys: create one with a budget; the key is shown once with a copy button.
      await go(page, `${base}/keys`);
      await page.type("#new-name", "browser");
      await page.type("#new-daily", "5");
      await page.click("#create-key-h ~ form button[type=submit]");
      await page.waitForSelector("#new-key");
      const key = await page.$eval("#new-key", (el) => (el as HTMLInputElement).value);
      assert.match(key, /^sy-/);
      await shoot(page, "keys-created");
      await go(page, `${base}/keys`);
      assert.ok(!(await page.content()).includes(key), "the key is shown more than once");
      await page.waitForSelector(".progress");

      // Traffic: one good answer, then upstream 500s until the breaker opens.
      const chat = (model: string) =>
        fetch(`${base}/v1/chat/completions`, {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }] }),
        }).then(async (r) => (await r.body?.cancel(), r.status));
      assert.equal(await chat("coding"), 200);
      fake.on({ model: "gpt-4.1", behavior: { kind: "error", status: 500, message: "boom" } });
      for (let i = 0; i < 2; i++) assert.notEqual(await chat("openai/gpt-4.1"), 200);

      // 2 again, with data: overview.
      await go(page, `${base}/`);
      await waitForText(page, "breaker open");
      await page.waitForSelector("svg.chart");
      await shoot(page, "overview");

      // 8. Health: the open breaker, force unlock.
      await go(page, `${base}/health`);
      await waitForText(page, "open");
      await shoot(page, "health-breaker-open");
      await page.click("button[aria-label='Force unlock openai/work']");
      await waitForText(page, "Unlocked openai/work.");
      await page.waitForFunction(() => !document.querySelector("button[aria-label^='Force unlock']"));
      await shoot(page, "health");

      // 7. Logs: the requests above; filter to 5xx through the form, an inline error, then one request's trace.
      await go(page, `${base}/logs`);
      await page.waitForSelector("table.logs a[href^='/logs/']");
      await shoot(page, "logs");
      await page.select("#log-statusClass", "5xx");
      await page.click("form.filters button[type=submit]");
      await page.waitForFunction(() => new URL(location.href).searchParams.get("statusClass") === "5xx");
      await page.waitForSelector("table.logs .badge.bad");
      assert.equal(await page.$$eval("table.logs .badge.ok", (els) => els.length), 0);
      await page.type("#log-status", "9");
      await page.click("form.filters button[type=submit]");
      await page.waitForSelector("#log-status-error");
      await go(page, `${base}/logs?statusClass=2xx`);
      await Promise.all([page.waitForNavigation(), page.click("table.logs a[href^='/logs/']")]);
      await page.waitForSelector("ol.trace li.winner");
      await waitForText(page, "Request body");
      assert.ok(!(await page.content()).includes(PROVIDER_KEY), "a provider key in a stored body");
      await shoot(page, "log-detail");

      // 1. Account: change-password form validates inline.
      await go(page, `${base}/account`);
      await page.type("#current", "not-the-password");
      await page.type("#next", "new-password-1");
      await page.type("#confirm", "new-password-1");
      await page.click("main form button[type=submit]");
      await page.waitForSelector("#current-error");
      await shoot(page, "account");

      // Theme toggle flips and persists.
      await page.click("[data-theme-toggle]");
      const theme = await page.evaluate(() => document.documentElement.dataset.theme);
      await page.reload({ waitUntil: "load" });
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), theme);
      await go(page, `${base}/`);
      await shoot(page, `overview-${theme}`);

      // Logout ends the session.
      await Promise.all([page.waitForNavigation(), page.click("form[action='/logout'] button")]);
      assert.match(page.url(), /\/login$/);
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
