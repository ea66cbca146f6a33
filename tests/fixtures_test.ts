/**
 * @module Golden-fixture runner for every codec. Each `tests/fixtures/<format>/<case>/` folder may hold:
 * - `request.json` + `request.canonical.json`: decodeRequest(request) deep-equals the canonical form;
 *   encodeRequest(canonical, {model: canonical.model}).body deep-equals `encoded_request.json` if present,
 *   else `request.json`; `dropped.json` (optional) lists the expected dropped hints.
 * - `response.json` + `response.canonical.json`: the same for decodeResponse / encodeResponse
 *   (`encoded_response.json` overrides the expected encoding).
 * - `stream.sse` + `stream.canonical.json`: decodeStream over every parsed event equals the event list;
 *   `encoded_stream.sse` (optional): encodeStream of the canonical events (init from `stream.init.json`,
 *   default `{}`) serializes to exactly that text.
 * - `error.json` + `error.canonical.json` (`{status, ...WireError}`): decodeError / encodeError.
 * - `invalid_request.json` + `invalid_request.expect.json` (`{param?, messageIncludes}`): decodeRequest refuses it.
 */
import assert from "node:assert/strict";
import { createSseParser, encodeSse } from "../src/core/sse.ts";
import type { Codec } from "../src/core/codec.ts";
import type { StreamEvent } from "../src/core/canonical.ts";
import { GatewayError } from "../src/core/errors.ts";
import { topLevelMember } from "../src/core/json_tail.ts";

const root = new URL("./fixtures/", import.meta.url);
/** Response fixtures per format whose usage the pass-through path found at the end of the answer. */
const usageFromTail = new Map<string, number>();

function readJson(url: URL): unknown {
  return JSON.parse(Deno.readTextFileSync(url));
}

function exists(url: URL): boolean {
  try {
    Deno.statSync(url);
    return true;
  } catch {
    return false;
  }
}

/** Parses an SSE transcript, then round-trips JSON so `undefined` fields compare like the fixture's. */
function normalize<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

for (const formatEntry of Deno.readDirSync(root)) {
  if (!formatEntry.isDirectory) continue;
  const format = formatEntry.name;
  const modUrl = new URL(`../src/translate/${format}/mod.ts`, import.meta.url);
  if (!exists(modUrl)) continue;
  const cases = [...Deno.readDirSync(new URL(`${format}/`, root))].filter((e) => e.isDirectory).map((e) => e.name)
    .sort();
  for (const name of cases) {
    const dir = new URL(`${format}/${name}/`, root);
    Deno.test(`fixture ${format}/${name}`, async () => {
      const { codec } = (await import(modUrl.href)) as { codec: Codec };
      let checked = 0;
      if (exists(new URL("request.json", dir))) {
        const wire = readJson(new URL("request.json", dir));
        const canonical = readJson(new URL("request.canonical.json", dir)) as { model: string };
        assert.deepEqual(normalize(codec.decodeRequest(wire)), canonical, "decodeRequest");
        const expectedUrl = exists(new URL("encoded_request.json", dir))
          ? new URL("encoded_request.json", dir)
          : new URL("request.json", dir);
        // deno-lint-ignore no-explicit-any
        const encoded = codec.encodeRequest(canonical as any, { model: canonical.model });
        assert.deepEqual(normalize(encoded.body), readJson(expectedUrl), "encodeRequest");
        if (exists(new URL("dropped.json", dir))) {
          assert.deepEqual(encoded.dropped, readJson(new URL("dropped.json", dir)), "dropped");
        }
        checked++;
      }
      if (exists(new URL("response.json", dir))) {
        const wire = readJson(new URL("response.json", dir));
        const canonical = readJson(new URL("response.canonical.json", dir));
        assert.deepEqual(normalize(codec.decodeResponse(wire)), canonical, "decodeResponse");
        const expectedUrl = exists(new URL("encoded_response.json", dir))
          ? new URL("encoded_response.json", dir)
          : new URL("response.json", dir);
        // deno-lint-ignore no-explicit-any
        assert.deepEqual(normalize(codec.encodeResponse(canonical as any)), readJson(expectedUrl), "encodeResponse");
        // The pass-through path reads only the usage member, from the answer's end: it must say what the whole does.
        const raw = topLevelMember(Deno.readTextFileSync(new URL("response.json", dir)), codec.usageKey);
        if (raw !== undefined) {
          const tail = codec.decodeUsage({ [codec.usageKey]: JSON.parse(raw) });
          assert.deepEqual(tail, codec.decodeUsage(wire), "usage read from the answer's end");
          usageFromTail.set(format, (usageFromTail.get(format) ?? 0) + 1);
        }
        checked++;
      }
      if (exists(new URL("stream.sse", dir))) {
        const parser = createSseParser();
        const text = Deno.readTextFileSync(new URL("stream.sse", dir));
        const events = [...parser.push(text), ...parser.end()];
        let state = codec.initDecodeStream();
        const out: StreamEvent[] = [];
        for (const ev of events) {
          const step = codec.decodeStream(state, ev);
          state = step.state;
          out.push(...step.out);
        }
        const canonical = readJson(new URL("stream.canonical.json", dir)) as StreamEvent[];
        assert.deepEqual(normalize(out), canonical, "decodeStream");
        checked++;
      }
      if (exists(new URL("encoded_stream.sse", dir))) {
        const canonical = readJson(new URL("stream.canonical.json", dir)) as StreamEvent[];
        const init = exists(new URL("stream.init.json", dir)) ? readJson(new URL("stream.init.json", dir)) : {};
        // deno-lint-ignore no-explicit-any
        let state = codec.initEncodeStream(init as any);
        let text = "";
        for (const ev of canonical) {
          const step = codec.encodeStream(state, ev);
          state = step.state;
          for (const sse of step.out) text += encodeSse(sse);
        }
        assert.equal(text, Deno.readTextFileSync(new URL("encoded_stream.sse", dir)), "encodeStream");
        checked++;
      }
      if (exists(new URL("error.json", dir))) {
        const wire = readJson(new URL("error.json", dir));
        const canonical = readJson(new URL("error.canonical.json", dir)) as { status: number };
        assert.deepEqual(normalize(codec.decodeError(canonical.status, wire)), canonical, "decodeError");
        const expected = exists(new URL("encoded_error.json", dir))
          ? new URL("encoded_error.json", dir)
          : new URL("error.json", dir);
        // deno-lint-ignore no-explicit-any
        assert.deepEqual(normalize(codec.encodeError(canonical as any)), readJson(expected), "encodeError");
        checked++;
      }
      if (exists(new URL("invalid_request.json", dir))) {
        const wire = readJson(new URL("invalid_request.json", dir));
        const expect = readJson(new URL("invalid_request.expect.json", dir)) as {
          param?: string;
          messageIncludes: string;
        };
        assert.throws(() => codec.decodeRequest(wire), (err: unknown) => {
          assert.ok(err instanceof GatewayError, "a GatewayError");
          assert.equal(err.status, 400);
          assert.ok(err.message.includes(expect.messageIncludes), `message "${err.message}" names the problem`);
          if (expect.param !== undefined) assert.equal(err.param, expect.param);
          return true;
        });
        checked++;
      }
      assert.ok(checked > 0, `fixture folder ${format}/${name} holds no known files`);
    });
  }
}

Deno.test("the pass-through usage read found usage in response fixtures of every format", () => {
  for (const format of ["openai", "anthropic", "gemini", "responses"]) {
    assert.ok((usageFromTail.get(format) ?? 0) > 0, `no ${format} response fixture had its usage read from the end`);
  }
});
