/** @module Assertions on errors the official OpenAI SDK raises for gateway answers. */
import assert from "node:assert/strict";
import OpenAI from "openai";

/** Asserts an OpenAI SDK error: status, `error.code`, and that the body has OpenAI's four fields. */
export async function assertApiError(
  p: Promise<unknown>,
  status: number,
  code: string | null,
): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof OpenAI.APIError, `expected an APIError, got ${err}`);
    assert.equal(err.status, status, err.message);
    assert.equal(err.code, code);
    const body = err.error as Record<string, unknown>;
    for (const field of ["message", "type", "param", "code"]) assert.ok(field in body, `error body lacks ${field}`);
    assert.ok(err.headers?.get("x-request-id"), "error response without x-request-id");
    return err;
  }
  assert.fail(`expected HTTP ${status}`);
}
