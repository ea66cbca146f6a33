/**
 * @module `deno bench` of the stream step alone: a 500-event OpenAI stream through `translateStream`, passed through
 * to an OpenAI client and translated for an Anthropic one, against a bare relay of the same bytes (the least a JS
 * stream step costs). The upstream arrives in 4 KiB reads, as from a socket.
 * Run: deno task bench:stream
 */
import { translateStream } from "./stream.ts";
import { OPENAI_PASSTHROUGH, openaiChunk } from "./stream_fixture.ts";

const EVENTS = 500;
const chunk = openaiChunk;
let text = chunk({ role: "assistant", content: "" });
for (let i = 0; i < EVENTS; i++) text += chunk({ content: `tok${i} ` });
text += chunk({}, "stop");
text += chunk({}, null, { prompt_tokens: 12, completion_tokens: EVENTS, total_tokens: 12 + EVENTS });
text += "data: [DONE]\n\n";
const bytes = new TextEncoder().encode(text);
const READ = 4096;

/** The upstream body as a byte stream (BYOB-capable, like a fetch body) handing out 4 KiB at a time. */
function upstream(): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    type: "bytes",
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close();
        controller.byobRequest?.respond(0);
        return;
      }
      const n = Math.min(READ, bytes.length - offset);
      const view = controller.byobRequest?.view;
      if (view) {
        const target = new Uint8Array(view.buffer, view.byteOffset, Math.min(n, view.byteLength));
        target.set(bytes.subarray(offset, offset + target.length));
        offset += target.length;
        controller.byobRequest!.respond(target.length);
      } else {
        controller.enqueue(bytes.slice(offset, offset + n));
        offset += n;
      }
    },
  });
}

const base = OPENAI_PASSTHROUGH;
const hooks = { now: () => 0, finish: () => Promise.resolve() };

async function drain(stream: ReadableStream<Uint8Array>): Promise<number> {
  let n = 0;
  for await (const c of stream) n += c.length;
  return n;
}

Deno.bench("bare relay of the same bytes", { group: "stream", baseline: true }, async () => {
  await drain(upstream().pipeThrough(new TransformStream()));
});

Deno.bench("pass-through: OpenAI upstream, OpenAI client", { group: "stream" }, async () => {
  await drain(translateStream(upstream(), base, hooks));
});

Deno.bench("translated: OpenAI upstream, Anthropic client", { group: "stream" }, async () => {
  await drain(translateStream(upstream(), { ...base, surface: "anthropic", passthrough: false }, hooks));
});
