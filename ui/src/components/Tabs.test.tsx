// The office's tabs, as the WAI-ARIA tabs pattern has them, through the whole app.
import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { FakeBackend } from "../test/fakeBackend";
import { HOME_HELP_LOGIN, logIn, renderApp } from "../test/renderApp";

const LABELS = ["トップページ", "受信一覧", "送信一覧", "新規作成", "下書き一覧", "一括送信", "ファイルを開く", "予実突合", "送受信履歴", "設定"];

async function loggedIn() {
  const user = userEvent.setup();
  renderApp(new FakeBackend());
  await logIn(user, "right-pass", HOME_HELP_LOGIN);
  return user;
}

describe("the tabs", () => {
  it("are a tablist of tabs, each controlling the one tabpanel, which the selected tab labels", async () => {
    await loggedIn();
    const list = screen.getByRole("tablist", { name: "機能" });
    const tabs = screen.getAllByRole("tab");
    expect(tabs.map((t) => t.textContent)).toEqual(LABELS);
    expect(tabs.every((t) => list.contains(t) && t.tagName === "BUTTON")).toBe(true);
    const panel = screen.getByRole("tabpanel", { name: "トップページ" });
    for (const tab of tabs) expect(tab).toHaveAttribute("aria-controls", panel.id);
    expect(tabs.map((t) => t.getAttribute("aria-selected"))).toEqual(LABELS.map((_, i) => String(i === 0)));
    expect(tabs.map((t) => t.tabIndex), "one tab stop: the selected tab").toEqual(LABELS.map((_, i) => (i === 0 ? 0 : -1)));
  });

  it("move the focus with ←, →, Home and End, and open a tab only with Enter or Space", async () => {
    const user = await loggedIn();
    const tab = (name: string) => screen.getByRole("tab", { name });
    tab("トップページ").focus();
    await user.keyboard("{ArrowRight}");
    expect(tab("受信一覧")).toHaveFocus();
    expect(tab("トップページ"), "moving the focus opens nothing").toHaveAttribute("aria-selected", "true");
    await user.keyboard("{End}");
    expect(tab("設定")).toHaveFocus();
    await user.keyboard("{ArrowRight}");
    expect(tab("トップページ"), "→ after the last goes round to the first").toHaveFocus();
    await user.keyboard("{ArrowLeft}");
    expect(tab("設定")).toHaveFocus();
    await user.keyboard("{Home}{ArrowRight}{ArrowRight}{ArrowRight}");
    expect(tab("新規作成")).toHaveFocus();

    await user.keyboard("{Enter}");
    expect(tab("新規作成")).toHaveAttribute("aria-selected", "true");
    expect(tab("新規作成").tabIndex).toBe(0);
    expect(tab("トップページ").tabIndex).toBe(-1);
    expect(screen.getByRole("tabpanel", { name: "新規作成" })).toContainElement(screen.getByTestId("dropzone"));
    await user.keyboard("{ArrowRight} ");
    expect(tab("下書き一覧")).toHaveAttribute("aria-selected", "true");
  });

  it("are one stop for Tab: from the selected tab, Tab goes to its panel", async () => {
    const user = await loggedIn();
    screen.getByRole("tab", { name: "トップページ" }).focus();
    await user.tab();
    expect(screen.getByRole("tabpanel", { name: "トップページ" })).toHaveFocus();
    await user.tab({ shift: true });
    expect(screen.getByRole("tab", { name: "トップページ" })).toHaveFocus();
  });
});
