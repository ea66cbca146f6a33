import assert from "node:assert/strict";
import { keyBody, keyField, keysModel } from "./keys.ts";

Deno.test("keysModel() shows hints, scopes, allow-lists and budget progress", () => {
  const m = keysModel({
    keys: [{
      id: "k1",
      name: "ci",
      keyHint: "sy-…wxyz",
      scopes: ["inference", "admin"],
      models: ["openai/*"],
      budget: { daily: 5 },
      source: "file",
      createdAt: 0,
      lastUsedAt: null,
    }],
    budgets: new Map([["k1", [{
      period: "daily",
      limit: 5,
      spent: 4.5,
      resetsAt: "2025-01-02T00:00:00.000Z",
      warning: true,
      exceeded: false,
    }]]]),
  });
  const k = m.keys[0];
  assert.equal(k.hint, "sy-…wxyz");
  assert.equal(k.scopes, "inference, admin");
  assert.equal(k.models, "openai/*");
  assert.equal(k.lastUsed, "never");
  assert.equal(k.readOnly, true);
  assert.deepEqual(k.budgets[0], {
    period: "daily",
    text: "$4.50 of $5.00",
    pct: 90,
    cls: "warn",
    resets: "2025-01-02 00:00 UTC",
  });
  assert.equal(k.budgetValues.daily, "5");
});

Deno.test("keyBody() maps the form to the API body; empty budgets and lists become null", () => {
  const empty = { name: "x", scopes: ["inference"], models: [], daily: "", weekly: "", monthly: "" };
  assert.deepEqual(keyBody(empty), { name: "x", scopes: ["inference"], models: null, budget: null });
  const full = keyBody({ ...empty, models: ["a/*"], daily: "1.5", monthly: "abc" });
  assert.deepEqual(full.models, ["a/*"]);
  const budget = full.budget as Record<string, number>;
  assert.equal(budget.daily, 1.5);
  assert.ok(Number.isNaN(budget.monthly), "a bad amount reaches validation, which names it");
  assert.equal(keyField("budget.monthly"), "monthly");
  assert.equal(keyField("models[0]"), "models");
});
