import assert from "node:assert/strict";
import { accountModel, newPasswordErrors } from "./account.ts";

Deno.test("newPasswordErrors() wants 8+ characters, a change, and the same text twice", () => {
  assert.deepEqual(newPasswordErrors({ current: "old-password", next: "short", confirm: "short" }), {
    next: "The new password needs at least 8 characters.",
  });
  assert.ok(newPasswordErrors({ current: "same-password", next: "same-password", confirm: "same-password" }).next);
  assert.ok(newPasswordErrors({ current: "a", next: "new-password", confirm: "new-passw0rd" }).confirm);
  assert.deepEqual(newPasswordErrors({ current: "a", next: "new-password", confirm: "new-password" }), {});
});

Deno.test("accountModel() shows when the session expires", () => {
  const now = Date.UTC(2025, 0, 1, 10);
  assert.deepEqual(accountModel({ now, expiresAt: now + 2 * 3600_000 }), {
    sessionExpires: "2025-01-01 12:00 UTC",
    sessionLeft: "2h 0m",
  });
});
