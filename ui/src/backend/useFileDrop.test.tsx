// The one subscription of a screen to the window's file drops.
import { act, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { describe, expect, it, vi } from "vitest";
import { FakeBackend } from "../test/fakeBackend";
import { BackendProvider } from "./BackendContext";
import { useFileDrop } from "./useFileDrop";

function withBackend(backend: FakeBackend) {
  return ({ children }: { children: ReactNode }) => <BackendProvider backend={backend}>{children}</BackendProvider>;
}

describe("a screen's file drops", () => {
  it("are ready once subscribed, reach the newest handler, and are subscribed to once", async () => {
    const backend = new FakeBackend();
    const subscribe = vi.spyOn(backend, "onFileDrop");
    const first = vi.fn();
    const second = vi.fn();
    const { result, rerender } = renderHook(({ onDrop }) => useFileDrop(onDrop), { wrapper: withBackend(backend), initialProps: { onDrop: first } });
    await waitFor(() => expect(result.current.ready).toBe(true));
    rerender({ onDrop: second });
    act(() => backend.drop(["/data/a.CSV"]));
    expect(second).toHaveBeenCalledWith(["/data/a.CSV"]);
    expect(first).not.toHaveBeenCalled();
    expect(subscribe).toHaveBeenCalledTimes(1);
  });

  it("are no longer taken by a screen left before its subscription was made", async () => {
    const backend = new FakeBackend();
    let subscribed: (() => void) | undefined;
    const unlisten = vi.fn();
    const original = backend.onFileDrop;
    backend.onFileDrop = (listener) => new Promise((resolve) => (subscribed = () => void original(listener).then((stop) => resolve(() => { unlisten(); stop(); }))));
    const onDrop = vi.fn();
    const { unmount } = renderHook(() => useFileDrop(onDrop), { wrapper: withBackend(backend) });
    unmount();
    await act(async () => subscribed!());
    await waitFor(() => expect(unlisten).toHaveBeenCalled());
    act(() => backend.drop(["/data/a.CSV"]));
    expect(onDrop).not.toHaveBeenCalled();
  });
});
