import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { whenDrawn } from "./whenDrawn";

describe("whenDrawn", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    document.body.innerHTML = "";
  });
  afterEach(() => vi.useRealTimers());

  it("waits for a list that draws its table after loading, and calls once", async () => {
    const then = vi.fn();
    whenDrawn('[data-tour="inbox-table"]', then);
    await vi.advanceTimersByTimeAsync(500);
    expect(then).not.toHaveBeenCalled();
    const table = document.createElement("table");
    table.dataset.tour = "inbox-table";
    document.body.append(table);
    await vi.advanceTimersByTimeAsync(0);
    expect(then).toHaveBeenCalledTimes(1);
    document.body.append(document.createElement("p"));
    await vi.advanceTimersByTimeAsync(20_000);
    expect(then).toHaveBeenCalledTimes(1);
  });

  it("goes at once when the element is already there", async () => {
    document.body.innerHTML = '<div data-tour="tabs"></div>';
    const then = vi.fn();
    whenDrawn('[data-tour="tabs"]', then);
    await vi.advanceTimersByTimeAsync(60);
    expect(then).toHaveBeenCalledTimes(1);
  });

  it("explains without pointing when the element never comes", async () => {
    const then = vi.fn();
    whenDrawn('[data-tour="missing"]', then);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(then).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(then).toHaveBeenCalledTimes(1);
  });

  it("does nothing once cancelled (the step changed)", async () => {
    const then = vi.fn();
    const cancel = whenDrawn('[data-tour="late"]', then);
    cancel();
    document.body.innerHTML = '<div data-tour="late"></div>';
    await vi.advanceTimersByTimeAsync(20_000);
    expect(then).not.toHaveBeenCalled();
  });
});
