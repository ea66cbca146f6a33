import assert from "node:assert/strict";
import { nextTurn, type StreamHooks, translateStream } from "./stream.ts";
import { OPENAI_PASSTHROUGH, openaiChunk } from "./stream_fixture.ts";

const chunk = openaiChunk;

/** A whole short answer, as an upstream often sends it: one read holds every event. */
const WHOLE_ANSWER = chunk({ role: "assistant", content: "" }) + chunk({ content: "Hel" }) + chunk({ content: "lo" }) +
  chunk({}, "stop") + chunk({}, null, { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 }) + "data: [DONE]\n\n";

function upstreamOf(...parts: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const p of parts) controller.enqueue(encoder.encode(p));
      controller.close();
    },
  });
}

const options = OPENAI_PASSTHROUGH;

Deno.test("translateStream() writes the first event alone, the rest up to the terminal one at once; [DONE] waits for the usage commit", async () => {
  let commit!: () => void;
  const finished: Array<Parameters<StreamHooks["finish"]>[0]> = [];
  const hooks: StreamHooks = {
    now: () => 0,
    finish(outcome) {
      finished.push(outcome);
      return new Promise<void>((resolve) => (commit = resolve));
    },
  };
  const reader = translateStream(upstreamOf(WHOLE_ANSWER), options, hooks).getReader();
  const decoder = new TextDecoder();
  const waiting = () => new Promise<"waiting">((r) => setTimeout(() => r("waiting"), 20));

  // The first event goes out on its own, before the rest of the read is handled.
  const first = decoder.decode((await reader.read()).value);
  assert.equal(first, chunk({ role: "assistant", content: "" }));
  let text = first;
  let pending = reader.read();
  for (
    let r = await Promise.race([pending, waiting()]);
    r !== "waiting";
    r = await Promise.race([pending, waiting()])
  ) {
    text += decoder.decode(r.value);
    pending = reader.read();
  }
  // The commit has started (the terminal event was seen) but not finished: the answer is out, the end is not.
  assert.equal(finished.length, 1);
  assert.match(text, /"content":"Hel"/);
  assert.match(text, /"finish_reason":"stop"/);
  assert.doesNotMatch(text, /\[DONE\]/, "[DONE] reached the client before the usage commit");
  // The usage chunk the client did not ask for stays hidden.
  assert.doesNotMatch(text, /"usage"/);
  commit();
  assert.equal(decoder.decode((await pending).value), "data: [DONE]\n\n");
  assert.equal((await reader.read()).done, true);
  assert.deepEqual(finished[0].usage, { inputTokens: 3, outputTokens: 2 });
  assert.equal(finished[0].status, 200);
});

Deno.test("translateStream() works through the rest of a burst only on a later event-loop turn (the server sends the first event meanwhile)", async () => {
  const hooks: StreamHooks = { now: () => 0, finish: () => Promise.resolve() };
  const reader = translateStream(upstreamOf(WHOLE_ANSWER), options, hooks).getReader();
  const decoder = new TextDecoder();
  assert.equal(decoder.decode((await reader.read()).value), chunk({ role: "assistant", content: "" }));
  let settled = false;
  const rest = reader.read().then((r) => {
    settled = true;
    return r;
  });
  // Promise jobs alone (what a pipe runs on) never reach the rest: Deno's server would not have written yet.
  for (let i = 0; i < 50; i++) await Promise.resolve();
  assert.equal(settled, false, "the rest of the burst was handled before the event loop turned");
  assert.match(decoder.decode((await rest).value), /"content":"Hel"/);
  while (!(await reader.read()).done);
});

Deno.test("nextTurn() resolves after pending promise jobs and leaves no open port behind", async () => {
  const order: string[] = [];
  const turn = nextTurn().then(() => order.push("turn"));
  for (let i = 0; i < 20; i++) await Promise.resolve().then(() => order.push("job"));
  await turn;
  assert.deepEqual(order.slice(-1), ["turn"]);
  assert.equal(order.filter((o) => o === "job").length, 20);
});

Deno.test("translateStream() sends a heartbeat on the deadline sweeper it is given while the upstream is silent", async () => {
  const armed: Array<{ at: number; fire: () => void }> = [];
  const deadlines = {
    add: (d: { at: number; fire: () => void }) => void armed.push(d),
    remove: (d: { at: number; fire: () => void }) => void armed.splice(armed.indexOf(d), 1),
  };
  let clock = 0;
  let upstream!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (upstream = c) });
  const stream = translateStream(body, { ...options, heartbeatMs: 1000, deadlines }, {
    now: () => clock,
    finish: () => Promise.resolve(),
  });
  const reader = stream.getReader();
  const read = reader.read();
  await new Promise((r) => setTimeout(r, 0));
  // No runtime timer: the heartbeat waits on the sweeper, due a heartbeat interval from now.
  assert.equal(armed.length, 1);
  clock = 1000;
  // As the sweeper does: a due deadline leaves the set, then fires.
  armed.shift()!.fire();
  assert.equal(new TextDecoder().decode((await read).value), ": ping\n\n");
  upstream.enqueue(new TextEncoder().encode(WHOLE_ANSWER));
  upstream.close();
  let text = "";
  for (let r = await reader.read(); !r.done; r = await reader.read()) text += new TextDecoder().decode(r.value);
  assert.match(text, /\[DONE\]/);
  // Finished streams leave nothing armed on the shared sweeper.
  assert.equal(armed.length, 0);
});
