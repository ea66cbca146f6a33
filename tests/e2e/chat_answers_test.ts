/**
 * @module End to end: a same-format (pass-through) JSON answer reaches the client byte for byte, its usage read from
 * the answer's end when it is large, from the whole answer otherwise; an answer that is not JSON is a 502.
 */
import assert from "node:assert/strict";
import { assertApiError } from "../helpers/openai_errors.ts";
import { startStack } from "../helpers/stack.ts";
import { usageFor } from "../helpers/usage_db.ts";

const USER = [{ role: "user" as const, content: "Say hello." }];

Deno.test("pass-through JSON answers: bytes as they came, usage from the end, non-JSON refused", async (t) => {
  const stack = await startStack();
  const client = stack.client();
  const postChat = (body: unknown) =>
    fetch(`${stack.gw.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  try {
    await t.step("a large answer passes through byte for byte, its usage read from the end", async () => {
      const answer = {
        id: "chatcmpl-big",
        object: "chat.completion",
        created: 1,
        model: "big-model",
        // Look-alikes of the usage member inside the text must not be taken for it.
        choices: [{
          index: 0,
          message: { role: "assistant", content: `${"x".repeat(40_000)} "usage": {"prompt_tokens": 999} é` },
          finish_reason: "stop",
        }],
        usage: { prompt_tokens: 1234, completion_tokens: 567, total_tokens: 1801 },
      };
      const body = JSON.stringify(answer, null, 1);
      const off = stack.fake.on({ model: "big-model", behavior: { kind: "raw", body } });
      try {
        const res = await postChat({ model: "openai/big-model", messages: USER });
        assert.equal(res.status, 200);
        assert.equal(await res.text(), body);
        assert.equal(res.headers.get("x-switchyard-tokens-in"), "1234");
        assert.equal(res.headers.get("x-switchyard-tokens-out"), "567");
        const rows = usageFor(stack.gw.dataDir, res.headers.get("x-request-id")!);
        assert.equal(rows[0].tokens_in, 1234);
      } finally {
        off();
      }
    });

    await t.step("usage far from the end of an answer is still read (the whole answer is parsed)", async () => {
      const body = JSON.stringify({
        usage: { prompt_tokens: 21, completion_tokens: 4, total_tokens: 25 },
        id: "chatcmpl-early",
        object: "chat.completion",
        created: 1,
        model: "early-model",
        choices: [{ index: 0, message: { role: "assistant", content: "y".repeat(40_000) }, finish_reason: "stop" }],
      });
      const off = stack.fake.on({ model: "early-model", behavior: { kind: "raw", body } });
      try {
        const res = await postChat({ model: "openai/early-model", messages: USER });
        assert.equal(await res.text(), body);
        assert.equal(res.headers.get("x-switchyard-tokens-in"), "21");
      } finally {
        off();
      }
    });

    await t.step("an upstream 200 whose body is not JSON is a 502 upstream_error, small or large", async () => {
      for (const body of ["<html>oops</html>", `<html>${"z".repeat(40_000)}</html>`]) {
        const off = stack.fake.on({ model: "html-model", behavior: { kind: "raw", body } });
        try {
          await assertApiError(
            client.chat.completions.create({ model: "openai/html-model", messages: USER }),
            502,
            "upstream_error",
          );
        } finally {
          off();
        }
      }
    });
  } finally {
    await stack.stop();
  }
});
