/**
 * @module Claude Code (Anthropic Messages client) through the gateway to an OpenAI-format upstream: a two-turn
 * `Read` exchange, offline. Opt-in: run by tests/clients/run.sh, not by `deno task test`.
 */
import { checkTwoTurn } from "./checks.ts";
import { cliBin, FORMAT_LABEL, GATEWAY_KEY, startRig, upstreamsFor } from "./harness.ts";

const bin = cliBin("claude");

for (const upstream of upstreamsFor("openai")) {
  Deno.test({
    name: `Claude Code → gateway → ${FORMAT_LABEL[upstream]} upstream: two-turn Read exchange`,
    ignore: bin.skip !== undefined,
    async fn() {
      const rig = await startRig({
        upstream,
        toolCall: (_work, file) => ({ name: "Read", args: { file_path: file } }),
      });
      try {
        const run = await rig.run(bin.path!, [
          "-p",
          "Read the file secret.txt in the current directory and tell me the secret word it contains.",
          "--output-format",
          "json",
          "--model",
          rig.model,
          "--allowedTools",
          "Read",
        ], {
          ANTHROPIC_BASE_URL: rig.url,
          ANTHROPIC_API_KEY: GATEWAY_KEY,
          ANTHROPIC_MODEL: rig.model,
          ANTHROPIC_SMALL_FAST_MODEL: rig.model,
          ANTHROPIC_DEFAULT_HAIKU_MODEL: rig.model,
          ANTHROPIC_DEFAULT_SONNET_MODEL: rig.model,
          ANTHROPIC_DEFAULT_OPUS_MODEL: rig.model,
          CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
          DISABLE_TELEMETRY: "1",
          DISABLE_ERROR_REPORTING: "1",
          DISABLE_AUTOUPDATER: "1",
          DISABLE_UPDATES: "1",
          DISABLE_BUG_COMMAND: "1",
          DISABLE_GROWTHBOOK: "1",
          DISABLE_INSTALLATION_CHECKS: "1",
          CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY: "1",
          CLAUDE_CODE_DISABLE_FEATURE_FLAGS: "1",
        });
        const report = checkTwoTurn(rig, run, "anthropic");
        // Claude Code puts its environment block in a `system`-role message when the model name is not Claude's.
        const firstClient = rig.exchanges.find((e) => e.body)!;
        if (!firstClient.path.includes("beta=true")) throw new Error(`expected ?beta=true, got ${firstClient.path}`);
        console.log(`claude-code → ${upstream}: ${JSON.stringify(report)}`);
      } finally {
        await rig.close();
      }
    },
  });
}

if (bin.skip) console.log(`claude-code test skipped: ${bin.skip}`);
