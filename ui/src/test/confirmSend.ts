// 送信 and then 送信する in the confirmation that comes before every send.
import { screen, waitFor, within } from "@testing-library/react";
import type { UserEvent } from "@testing-library/user-event";
import { expect } from "vitest";

/** Presses 送信 (within `scope` when given) and confirms; returns the dialog's text. */
export async function sendConfirmed(user: UserEvent, scope?: HTMLElement): Promise<string> {
  const button = scope ? within(scope).getByRole("button", { name: "送信" }) : await screen.findByRole("button", { name: "送信" });
  // 送信 stays disabled until the destination office has been looked up; a click before that does nothing.
  await waitFor(() => expect(button).toBeEnabled());
  await user.click(button);
  const dialog = await screen.findByRole("alertdialog", { name: "この内容で送信しますか？" });
  const confirm = within(dialog).getByRole("button", { name: "送信する" });
  await waitFor(() => expect(confirm).toBeEnabled());
  const text = dialog.textContent ?? "";
  await user.click(confirm);
  return text;
}
