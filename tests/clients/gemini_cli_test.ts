/**
 * @module Gemini CLI (Gemini client; the model name with its `/` goes in the URL path) through the gateway to an
 * OpenAI-format upstream: a two-turn `read_file` exchange, offline. Opt-in: run by tests/clients/run.sh.
 */
import { checkTwoTurn } from "./checks.ts";
import { cliBin, FORMAT_LABEL, GATEWAY_KEY, startRig, upstreamsFor } from "./harness.ts";

const bin = cliBin("gemini");

const SETTINGS = {
  security: { auth: { selectedType: "gemini-api-key" } },
  general: { enableAutoUpdate: false, enableAutoUpdateNotification: false },
  privacy: { usageStatisticsEnabled: false },
  telemetry: { enabled: false },
  ide: { enabled: false },
};

for (const upstream of upstreamsFor("openai")) {
  Deno.test({
    name: `Gemini CLI → gateway → ${FORMAT_LABEL[upstream]} upstream: two-turn read_file exchange`,
    ignore: bin.skip !== undefined,
    async fn() {
      const rig = await startRig({
        upstream,
        toolCall: (_work, file) => ({ name: "read_file", args: { file_path: file } }),
      });
      try {
        await Deno.mkdir(`${rig.home}/.gemini`, { recursive: true });
        await Deno.writeTextFile(`${rig.home}/.gemini/settings.json`, JSON.stringify(SETTINGS));
        const run = await rig.run(bin.path!, [
          "-p",
          "Read the file secret.txt in the current directory and tell me the secret word it contains.",
          "-m",
          rig.model,
          "--output-format",
          "json",
        ], {
          GOOGLE_GEMINI_BASE_URL: rig.url,
          GEMINI_API_KEY: GATEWAY_KEY,
          GEMINI_CLI_TRUST_WORKSPACE: "true",
          GEMINI_TELEMETRY_ENABLED: "false",
          GEMINI_SANDBOX: "false",
        });
        const report = checkTwoTurn(rig, run, "gemini");
        const first = rig.exchanges.find((e) => e.body)!;
        const expected = `/v1beta/models/${rig.model}:streamGenerateContent`;
        if (!first.path.startsWith(expected)) throw new Error(`expected ${expected}, got ${first.path}`);
        console.log(`gemini-cli → ${upstream}: ${JSON.stringify(report)}`);
      } finally {
        await rig.close();
      }
    },
  });
}

if (bin.skip) console.log(`gemini-cli test skipped: ${bin.skip}`);
