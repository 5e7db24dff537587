// jsdom has no layout: the boxes of the tabs, the button bar and the field are given here; the
// real screens at 1280×720 and 1366×697 are walked with the keyboard in tests/desktop/tests/layout.rs.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { keepFocusInView } from "./focusInView";

function boxed(element: Element, top: number, height: number) {
  element.getBoundingClientRect = () => ({ top, bottom: top + height, height, left: 0, right: 100, width: 100, x: 0, y: top, toJSON: () => ({}) });
}

describe("a field the keyboard moves to", () => {
  let stop: () => void;
  let scrollBy: ReturnType<typeof vi.fn>;
  beforeEach(() => {
    document.body.innerHTML = `
      <div role="tablist" style="position: sticky"></div>
      <div role="tabpanel" tabindex="0"><textarea></textarea><input /><div class="actions" style="position: sticky"><button>送信</button></div></div>
      <input id="outside" />`;
    Object.defineProperty(window, "innerHeight", { value: 720, configurable: true });
    boxed(document.querySelector("[role=tablist]")!, 57, 47);
    boxed(document.querySelector(".actions")!, 662, 58);
    scrollBy = vi.fn();
    window.scrollBy = scrollBy as unknown as typeof window.scrollBy;
    stop = keepFocusInView();
  });
  afterEach(() => stop());

  it("is scrolled up out from under the button bar, with a little room", () => {
    const message = document.querySelector("textarea")!;
    boxed(message, 602, 79);
    message.focus();
    expect(scrollBy).toHaveBeenCalledWith(0, 681 - 662 + 8);
  });

  it("is scrolled down out from under the tabs", () => {
    const field = document.querySelector("input")!;
    boxed(field, 80, 30);
    field.focus();
    expect(scrollBy).toHaveBeenCalledWith(0, 80 - 104 - 8);
  });

  it("is left where it is when clear of both, and so is a button of the bar itself or a field outside the screen", () => {
    const field = document.querySelector("input")!;
    boxed(field, 300, 30);
    field.focus();
    const send = document.querySelector("button")!;
    boxed(send, 670, 36);
    send.focus();
    const outside = document.querySelector<HTMLInputElement>("#outside")!;
    boxed(outside, 700, 30);
    outside.focus();
    expect(scrollBy).not.toHaveBeenCalled();
  });

  it("leaves the page alone when the screen itself takes the focus (a click on its text), or a field taller than the room between the bars", () => {
    const panel = document.querySelector<HTMLElement>("[role=tabpanel]")!;
    boxed(panel, -400, 1500);
    panel.focus();
    const message = document.querySelector("textarea")!;
    boxed(message, 300, 600);
    message.focus();
    expect(scrollBy).not.toHaveBeenCalled();
  });

  it("is no longer moved once the page stops keeping watch", () => {
    stop();
    const message = document.querySelector("textarea")!;
    boxed(message, 602, 79);
    message.focus();
    expect(scrollBy).not.toHaveBeenCalled();
  });
});
