// The whole app on a fake backend, as the screen tests that go through ログイン and the tabs need it.
import { render, screen } from "@testing-library/react";
import type { UserEvent } from "@testing-library/user-event";
import { App } from "../App";
import { BackendProvider } from "../backend/BackendContext";
import type { FakeBackend } from "./fakeBackend";

export function renderApp(backend: FakeBackend) {
  return render(
    <BackendProvider backend={backend}>
      <App />
    </BackendProvider>,
  );
}

/**
 * Both login stages as a user goes through them, with the same password at both; the IDs are typed
 * when given (otherwise they are filled in already: remembered, or 練習モード's).
 */
export async function logIn(user: UserEvent, password: string, ids?: { personal: string; office: string }) {
  if (ids) await user.type(await screen.findByLabelText("個人ユーザID"), ids.personal);
  await user.type(await screen.findByLabelText("パスワード"), password);
  await user.click(screen.getByRole("button", { name: "ログイン" }));
  await screen.findByRole("heading", { name: "事業所ユーザIDでログイン" });
  if (ids) await user.type(screen.getByLabelText("事業所ユーザID"), ids.office);
  await user.type(screen.getByLabelText("パスワード"), password);
  await user.click(screen.getByRole("button", { name: "ログイン" }));
  await screen.findByRole("button", { name: "ログアウト" });
}

/** The fake's office, ひまわりヘルパーステーション. */
export const HOME_HELP_LOGIN = { personal: "c1370000026a", office: "KJ137000002601" };
