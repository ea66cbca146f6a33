/** @module The account page's view model and the pure checks of a password change. */
import { formatDuration, formatUtc } from "./format.ts";

export interface AccountModel {
  sessionExpires: string;
  sessionLeft: string;
}

export function accountModel(input: { now: number; expiresAt: number | undefined }): AccountModel {
  const at = input.expiresAt ?? input.now;
  return { sessionExpires: `${formatUtc(at)} UTC`, sessionLeft: formatDuration(at - input.now) };
}

/** Field errors of a new password (the old one is checked against the store by the handler). */
export function newPasswordErrors(input: { current: string; next: string; confirm: string }): Record<string, string> {
  const errors: Record<string, string> = {};
  if (input.next.length < 8) errors.next = "The new password needs at least 8 characters.";
  else if (input.next === input.current) errors.next = "The new password is the same as the current one.";
  else if (input.next !== input.confirm) errors.confirm = "The two new passwords differ.";
  return errors;
}
