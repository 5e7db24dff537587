import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ErrorAlert } from "./ErrorAlert";

describe("ErrorAlert", () => {
  it("shows the relay's request id for the help desk when the relay refused", () => {
    render(<ErrorAlert error={{ code: "server.internal", message: "連携基盤で問題が発生しました。", diagnostics: [], request_id: "7f3a2c1e-0000-4000-8000-1234567890ab" }} />);
    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent("連携基盤で問題が発生しました。");
    expect(alert).toHaveTextContent("お問い合わせの際は、この番号をお伝えください: 7f3a2c1e-0000-4000-8000-1234567890ab");
  });

  it("says nothing of a number when the failure is the PC's own", () => {
    render(<ErrorAlert error={{ code: "file.unreadable", message: "ファイルを読めませんでした。", diagnostics: [] }} />);
    expect(screen.getByRole("alert")).not.toHaveTextContent("番号");
  });

  it("shows nothing without an error", () => {
    const { container } = render(<ErrorAlert error={null} />);
    expect(container).toBeEmptyDOMElement();
  });
});
