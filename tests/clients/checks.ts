/**
 * @module What the tests of the real CLIs check: the two-turn exchange completed with the secret, and the upstream
 * got the client's system text in its system slot and every client function tool with its schema.
 */
import { CLI_TIMEOUT_MS, type CliRun, type Rig } from "./harness.ts";
import type { RecordedRequest } from "./fake_upstream.ts";
import {
  asArray,
  type ClientFormat,
  clientFunctionTools,
  clientSystemTexts,
  isRecord,
  type Json,
  toolDefs,
  type UpstreamFormat,
  upstreamTexts,
} from "./wire_read.ts";

const squash = (s: string) => s.replace(/\s+/g, " ").trim();

/**
 * Problems with the system prompt's placement: every client system text must be found (start and end probes)
 * in the upstream's system slot and under no other role.
 */
export function systemPlacementProblems(
  clientFormat: ClientFormat,
  clientBody: Json,
  upstreamFormat: UpstreamFormat,
  upstreamBody: Json,
): string[] {
  const problems: string[] = [];
  const texts = clientSystemTexts(clientFormat, clientBody);
  if (texts.length === 0) problems.push("the client sent no system text (unexpected for this CLI)");
  const up = upstreamTexts(upstreamFormat, upstreamBody);
  const sys = squash(up.system);
  const other = squash(up.other);
  texts.forEach((text, i) => {
    const t = squash(text);
    const probes = t.length <= 160 ? [t] : [t.slice(0, 160), t.slice(-160)];
    for (const probe of probes) {
      if (!sys.includes(probe)) {
        problems.push(`client system text #${i} not in upstream system slot: ${probe.slice(0, 80)}…`);
      }
      if (probe.length >= 40 && other.includes(probe)) {
        problems.push(`client system text #${i} appears under a non-system role: ${probe.slice(0, 80)}…`);
      }
    }
  });
  return problems;
}

/** Property names of a JSON schema's top level. */
function propNames(schema: unknown): string[] {
  return isRecord(schema) && isRecord(schema.properties) ? Object.keys(schema.properties).sort() : [];
}

/**
 * Problems with the tools: every client function tool must reach the upstream under its name with the same
 * top-level properties, and the upstream must get no tool the client did not offer.
 */
export function toolProblems(
  clientFormat: ClientFormat,
  clientBody: Json,
  upstreamFormat: UpstreamFormat,
  upstreamBody: Json,
): string[] {
  const problems: string[] = [];
  const client = clientFunctionTools(clientFormat, clientBody);
  const up = toolDefs(upstreamFormat, upstreamBody);
  const upByName = new Map(up.map((t) => [t.name, t]));
  const clientNames = new Set(client.map((t) => t.name));
  for (const t of client) {
    const u = upByName.get(t.name);
    if (!u) {
      problems.push(`tool ${t.name} missing upstream`);
      continue;
    }
    const a = propNames(t.schema).join(",");
    const b = propNames(u.schema).join(",");
    if (a !== b) problems.push(`tool ${t.name} schema properties differ: client [${a}] upstream [${b}]`);
    if (!isRecord(u.schema)) problems.push(`tool ${t.name} has no schema upstream`);
  }
  for (const u of up) {
    if (!clientNames.has(u.name)) problems.push(`upstream got tool ${u.name} the client never offered`);
  }
  return problems;
}

/** A short account of the exchange, printed by each test (and useful when it fails). */
export function summarize(rig: Rig, run: CliRun): string {
  const lines = [
    `exit=${run.code} timedOut=${run.timedOut} ms=${run.ms}`,
    ...rig.exchanges.map((e) =>
      `client→gateway ${e.method} ${e.path} → ${e.status} route=${e.responseHeaders["x-switchyard-route"] ?? "-"}` +
      (e.responseHeaders["x-switchyard-dropped"] ? ` dropped=${e.responseHeaders["x-switchyard-dropped"]}` : "")
    ),
    ...rig.upstream.requests.map((r: RecordedRequest) =>
      `gateway→upstream ${r.method} ${r.path} stream=${r.stream} answer=${r.answer}` +
      (r.problem ? ` problem=${r.problem}` : "")
    ),
    `stdout (tail): ${run.stdout.slice(-1500)}`,
    `stderr (tail): ${run.stderr.slice(-1500)}`,
  ];
  return lines.join("\n");
}

export interface TwoTurnReport {
  ms: number;
  upstreamRequests: number;
  /** Entries in the client's `tools` and plain function tools among them (Gemini: declarations). */
  clientTools: string;
  upstreamTools: number;
  /** How the upstream's thinking signature on its tool call came back on turn 2. */
  signatureBack?: string;
  systemTexts: number;
  systemChars: number;
  dropped: string[];
}

/**
 * The checks every CLI test makes: the CLI's final output names the secret; the upstream was asked twice (tool
 * call, then a linked result holding the secret); on both turns the system text sits in the upstream's system slot
 * and every client function tool arrived under its name with its schema.
 */
export function checkTwoTurn(rig: Rig, run: CliRun, clientFormat: ClientFormat): TwoTurnReport {
  const fail = (why: string): never => {
    throw new Error(`${why}\n---\n${summarize(rig, run)}`);
  };
  if (run.timedOut) fail(`the CLI did not finish within ${CLI_TIMEOUT_MS} ms`);
  const reqs = rig.upstream.requests;
  const bad = reqs.find((r) => r.problem);
  if (bad) fail(`upstream turn problem: ${bad.problem}`);
  const toolTurn = reqs.findIndex((r) => r.answer === "tool_call");
  if (toolTurn < 0) fail("the upstream was never asked with the CLI's read tool on offer");
  const finalTurn = reqs.findIndex((r) => r.answer === "final");
  if (finalTurn < 0) fail("the tool result holding the secret never reached the upstream");
  if (!run.stdout.includes(rig.secret)) fail(`the CLI's output does not contain the secret ${rig.secret}`);

  const clientReqs = rig.exchanges.filter((e) => e.method === "POST" && e.body);
  if (clientReqs.length !== reqs.length) {
    fail(`the CLI made ${clientReqs.length} inference calls but the upstream saw ${reqs.length}`);
  }
  const problems: string[] = [];
  for (const i of [toolTurn, finalTurn]) {
    const c = clientReqs[i].body!;
    const u = reqs[i].body;
    for (const p of systemPlacementProblems(clientFormat, c, rig.upstream.format, u)) problems.push(`turn ${i}: ${p}`);
    for (const p of toolProblems(clientFormat, c, rig.upstream.format, u)) problems.push(`turn ${i}: ${p}`);
  }
  if (problems.length) fail(`what the upstream received is wrong:\n  ${problems.join("\n  ")}`);
  const first = clientReqs[toolTurn];
  const sys = clientSystemTexts(clientFormat, first.body!);
  return {
    ms: run.ms,
    upstreamRequests: reqs.length,
    clientTools: `${asArray(first.body!.tools).length} entries, ${
      clientFunctionTools(clientFormat, first.body!).length
    } functions`,
    upstreamTools: toolDefs(rig.upstream.format, reqs[toolTurn].body).length,
    signatureBack: reqs[finalTurn].signatureBack,
    systemTexts: sys.length,
    systemChars: sys.reduce((n, t) => n + t.length, 0),
    dropped: [...new Set(clientReqs.flatMap((e) => e.responseHeaders["x-switchyard-dropped"]?.split(/,\s*/) ?? []))],
  };
}
