/**
 * @module Cline CLI (OpenAI Chat client, `openai-compatible` provider) through the gateway to a Gemini-format
 * upstream: a two-turn `read_files` exchange, offline, in `--data-dir` sandbox mode (no hub daemon).
 * Opt-in: run by tests/clients/run.sh.
 */
import { checkTwoTurn } from "./checks.ts";
import { cliBin, FORMAT_LABEL, GATEWAY_KEY, startRig, upstreamsFor } from "./harness.ts";

const bin = cliBin("cline");

for (const upstream of upstreamsFor("gemini")) {
  Deno.test({
    name: `Cline → gateway → ${FORMAT_LABEL[upstream]} upstream: two-turn read_files exchange`,
    ignore: bin.skip !== undefined,
    async fn() {
      const rig = await startRig({
        upstream,
        toolCall: (_work, file) => ({ name: "read_files", args: { files: [{ path: file }] } }),
      });
      try {
        const data = `${rig.root}/cline-data`;
        const globalSettings = `${data}/settings/global-settings.json`;
        await Deno.mkdir(`${data}/settings`, { recursive: true });
        await Deno.mkdir(`${data}/cache`, { recursive: true });
        await Deno.writeTextFile(
          globalSettings,
          JSON.stringify({
            telemetryOptOut: true,
            autoUpdateEnabled: false,
            // Tools run without asking in headless mode: offer nothing that writes, runs or fetches.
            disabledTools: ["run_commands", "editor", "fetch_web_content", "spawn_agent"],
          }),
        );
        // PostHog feature flags are fetched even with telemetry opted out unless a fresh cache is there.
        await Deno.writeTextFile(
          `${data}/cache/feature-flags.json`,
          JSON.stringify({
            version: 2,
            updatedAt: Date.now(),
            userId: null,
            flagsPayload: { featureFlags: {}, featureFlagPayloads: {} },
          }),
        );
        const env = { CLINE_GLOBAL_SETTINGS_PATH: globalSettings, CLINE_NO_AUTO_UPDATE: "1" };
        const auth = await rig.run(bin.path!, [
          "auth",
          "--data-dir",
          data,
          "--provider",
          "openai-compatible",
          "--apikey",
          GATEWAY_KEY,
          "--modelid",
          rig.model,
          "--baseurl",
          `${rig.url}/v1`,
        ], env);
        if (auth.code !== 0) throw new Error(`cline auth failed (${auth.code}): ${auth.stdout}\n${auth.stderr}`);
        const run = await rig.run(bin.path!, [
          "--data-dir",
          data,
          "--json",
          "Read the file secret.txt in the current directory and tell me the secret word it contains.",
        ], env);
        const report = checkTwoTurn(rig, run, "openai");
        console.log(`cline → ${upstream}: ${JSON.stringify({ ...report, authMs: auth.ms })}`);
      } finally {
        await rig.close();
      }
    },
  });
}

if (bin.skip) console.log(`cline test skipped: ${bin.skip}`);
