/**
 * @module Codex (OpenAI Responses client) through the gateway to an Anthropic-format upstream: a two-turn
 * `exec_command` (`cat secret.txt`) exchange in a read-only sandbox, offline. Opt-in: run by tests/clients/run.sh.
 */
import { checkTwoTurn } from "./checks.ts";
import { cliBin, FORMAT_LABEL, GATEWAY_KEY, startRig, upstreamsFor } from "./harness.ts";

const bin = cliBin("codex");

function configToml(gateway: string): string {
  return `model_provider = "switchyard"
approval_policy = "never"
sandbox_mode = "read-only"
check_for_update_on_startup = false

[model_providers.switchyard]
name = "Switchyard"
base_url = "${gateway}/v1"
env_key = "SWITCHYARD_API_KEY"
wire_api = "responses"
request_max_retries = 0
stream_max_retries = 0

[analytics]
enabled = false

[feedback]
enabled = false

[features]
plugins = false
remote_plugin = false
apps = false
in_app_updates = false
`;
}

for (const upstream of upstreamsFor("anthropic")) {
  Deno.test({
    name: `Codex → gateway → ${FORMAT_LABEL[upstream]} upstream: two-turn exec_command exchange`,
    ignore: bin.skip !== undefined,
    async fn() {
      const rig = await startRig({
        upstream,
        toolCall: (work) => ({ name: "exec_command", args: { cmd: "cat secret.txt", workdir: work } }),
      });
      try {
        const codexHome = `${rig.home}/.codex`;
        await Deno.mkdir(codexHome, { recursive: true });
        await Deno.writeTextFile(`${codexHome}/config.toml`, configToml(rig.url));
        const run = await rig.run(bin.path!, [
          "exec",
          "--skip-git-repo-check",
          "--ephemeral",
          "--color",
          "never",
          "--sandbox",
          "read-only",
          "-m",
          rig.model,
          "Read the file secret.txt in the current directory and tell me the secret word it contains.",
        ], { CODEX_HOME: codexHome, SWITCHYARD_API_KEY: GATEWAY_KEY });
        const report = checkTwoTurn(rig, run, "responses");
        console.log(`codex → ${upstream}: ${JSON.stringify(report)}`);
      } finally {
        await rig.close();
      }
    },
  });
}

if (bin.skip) console.log(`codex test skipped: ${bin.skip}`);
