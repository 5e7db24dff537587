// The whole app on a fake backend, as the screen tests that go through ログイン and the tabs need it.
import { render } from "@testing-library/react";
import { App } from "../App";
import { BackendProvider } from "../backend/BackendContext";
import type { FakeBackend } from "../backend/fakeBackend";

export function renderApp(backend: FakeBackend) {
  return render(
    <BackendProvider backend={backend}>
      <App />
    </BackendProvider>,
  );
}
