import { render } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { Sentence } from "./Sentence";

describe("Sentence", () => {
  it("puts each element where the sentence has its value, in the sentence's order", () => {
    const { container } = render(
      <p>
        <Sentence make={(phone, url) => `窓口 ${url} または ${phone} まで`} parts={[<b>0120-000-000</b>, <i>https://example.jp/</i>]} />
      </p>,
    );
    expect(container.querySelector("p")!.innerHTML).toBe("窓口 <i>https://example.jp/</i> または <b>0120-000-000</b> まで");
  });

  it("leaves out an element the sentence does not use", () => {
    const { container } = render(
      <p>
        <Sentence make={() => "お電話ください"} parts={[<b>0120-000-000</b>]} />
      </p>,
    );
    expect(container.querySelector("p")!.innerHTML).toBe("お電話ください");
  });
});
