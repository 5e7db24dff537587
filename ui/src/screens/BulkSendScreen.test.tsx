import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { BackendProvider } from "../backend/BackendContext";
import { FakeBackend, apiError } from "../test/fakeBackend";
import { BulkSendScreen } from "./BulkSendScreen";
import { holdAnswers } from "../test/heldAnswers";
import { useWork } from "../work/WorkContext";
import { bulkFromDraft, type BulkWork } from "../work/work";

const TO_HELP = "/x/UPPLAN_202505_1370000018_43_1370000026_11_20250425120000.CSV";
const TO_HELP_2 = "/x/UPSIKYU_202505_1370000018_43_1370000026_11_20250425120000.CSV";
const TO_CARE_MANAGER = "/x/UPJSK_202505_1370000018_43_1370000018_43_20250425120000.CSV";
const TO_UNKNOWN = "/x/UPPLAN_202505_1370000018_43_1390000095_15_20250425120000.CSV";

/** `count` made-up 事業所番号, 1390000000 upwards. */
const offices = (count: number) => Array.from({ length: count }, (_, i) => `13900${String(i).padStart(5, "0")}`);
/** A 計画 file for `office`; `serial` tells apart several for the same office. */
const toOffice = (office: string, serial = 0) => `/x/UPPLAN_202505_1370000018_43_${office}_11_2025042512000${serial}.CSV`;

/** 一括送信, and a button that gives it `work` as App does after 下書き一覧's 一括送信へ. */
function WithBulkWork({ work }: { work: BulkWork }) {
  const { updateBulk } = useWork();
  return (
    <>
      <button type="button" onClick={() => updateBulk(() => work)}>
        seed
      </button>
      <BulkSendScreen />
    </>
  );
}

function renderBulk(backend: FakeBackend) {
  return render(
    <BackendProvider backend={backend}>
      <BulkSendScreen />
    </BackendProvider>,
  );
}

describe("一括送信", () => {
  it("groups dropped files by destination, adds a message per destination, and reports each result", async () => {
    const backend = new FakeBackend();
    backend.chooseFiles = async () => ["/x/写真.png"];
    const user = userEvent.setup();
    renderBulk(backend);
    await screen.findByTestId("bulk-dropzone");
    await act(async () => backend.drop([TO_HELP, TO_HELP_2, TO_UNKNOWN, "/x/メモ.txt"]));
    const help = await screen.findByTestId("destination-1370000026");
    expect(within(help).getByText("ひまわりヘルパーステーション")).toBeInTheDocument();
    expect(within(help).getAllByRole("listitem")).toHaveLength(2);
    const unknown = screen.getByTestId("destination-1390000095");
    expect(within(unknown).getByText("連携システムに登録されていない事業所です")).toBeInTheDocument();
    expect(screen.getByText("メモ.txt")).toBeInTheDocument();

    await user.click(within(help).getByRole("button", { name: "編集" }));
    await user.type(within(help).getByLabelText("1370000026 へのメッセージ"), "5月分です");
    await user.click(within(help).getByRole("button", { name: "添付ファイルを追加" }));
    expect(within(help).getByText("写真.png（添付）")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "一括送信" }));

    const results = await screen.findByRole("region", { name: "一括送信の結果" });
    expect(within(results).getByText("ひまわりヘルパーステーション（1370000026）: 成功（3 ファイル）")).toBeInTheDocument();
    expect(within(results).getByText(/1390000095.*登録されていません/)).toBeInTheDocument();
    const sent = backend.bulkSends[0];
    expect(sent.paths).not.toContain("/x/メモ.txt");
    expect(sent.edits.find((e) => e.office_number === "1370000026")).toMatchObject({ message: "5月分です", attachment_paths: ["/x/写真.png"] });
  });

  it("may send to 50 destinations, not to 51, and says the limits plainly", async () => {
    const backend = new FakeBackend();
    renderBulk(backend);
    await screen.findByTestId("bulk-dropzone");
    await act(async () => backend.drop(offices(50).map((o) => toOffice(o))));
    expect(await screen.findByTestId(`destination-${offices(50)[49]}`)).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "一括送信" })).toBeEnabled();

    await act(async () => backend.drop([toOffice(offices(51)[50])]));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "一括送信できるのは 50 事業所・100 ファイルまでです（今は 51 事業所・51 ファイル）。分けて送信してください。",
    );
    expect(screen.getByRole("button", { name: "一括送信" })).toBeDisabled();
  });

  it("may send 100 files, not 101, attachments included", async () => {
    const backend = new FakeBackend();
    backend.chooseFiles = async () => ["/x/写真.png"];
    const user = userEvent.setup();
    renderBulk(backend);
    await screen.findByTestId("bulk-dropzone");
    await act(async () => backend.drop(offices(50).flatMap((o) => [toOffice(o, 1), toOffice(o, 2)])));
    const first = await screen.findByTestId(`destination-${offices(50)[0]}`);
    await waitFor(() => expect(screen.getByRole("button", { name: "一括送信" })).toBeEnabled());
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();

    await user.click(within(first).getByRole("button", { name: "編集" }));
    await user.click(within(first).getByRole("button", { name: "添付ファイルを追加" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("一括送信できるのは 50 事業所・100 ファイルまでです（今は 50 事業所・101 ファイル）。");
    expect(screen.getByRole("button", { name: "一括送信" })).toBeDisabled();
  });

  it("shows a refusal of the whole bulk send", async () => {
    const backend = new FakeBackend();
    const user = userEvent.setup();
    renderBulk(backend);
    await screen.findByTestId("bulk-dropzone");
    await act(async () => backend.drop([TO_HELP]));
    await screen.findByTestId("destination-1370000026");
    backend.fail.bulkSend = apiError("session.required", "ログインしていません。");
    await user.click(screen.getByRole("button", { name: "一括送信" }));
    expect(await screen.findByText("ログインしていません。")).toBeInTheDocument();
  });

  it("after a partial failure, keeps only the failed destination and retries it alone under the same key", async () => {
    const backend = new FakeBackend();
    backend.refusedOffices.add("1370000026");
    const user = userEvent.setup();
    renderBulk(backend);
    await screen.findByTestId("bulk-dropzone");
    await act(async () => backend.drop([TO_HELP, TO_CARE_MANAGER]));
    await screen.findByTestId("destination-1370000018");
    await waitFor(() => expect(screen.getByRole("button", { name: "一括送信" })).toBeEnabled());
    await user.click(screen.getByRole("button", { name: "一括送信" }));

    const results = await screen.findByRole("region", { name: "一括送信の結果" });
    expect(within(results).getByRole("status")).toHaveTextContent("1 事業所に送信しました。1 事業所には送信できませんでした。");
    expect(within(results).getByText("送信済")).toBeInTheDocument();
    expect(results, "the result is where the eye is").toHaveFocus();
    await waitFor(() => expect(screen.queryByTestId("destination-1370000018"), "the sent destination leaves the plan").not.toBeInTheDocument());
    expect(screen.getByTestId("destination-1370000026")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "一括送信" }), "no way to send the whole plan again").not.toBeInTheDocument();

    backend.refusedOffices.clear();
    await user.click(screen.getByRole("button", { name: "失敗した送信先だけ再送信" }));
    expect(await screen.findByRole("status")).toHaveTextContent("2 事業所に送信しました。");
    const [first, retry] = backend.bulkSends;
    expect(retry.paths, "only the failed destination's files").toEqual([TO_HELP]);
    expect(retry.planKey, "the same key, so a lost answer cannot duplicate").toBe(first.planKey);
    expect(backend.outbox.filter((m) => m.counterpart.number === "1370000018")).toHaveLength(1);
    expect(backend.outbox.filter((m) => m.counterpart.number === "1370000026")).toHaveLength(1);
  });

  it("after a lost answer, sends again under the same key and stores each destination once", async () => {
    const backend = new FakeBackend();
    const user = userEvent.setup();
    renderBulk(backend);
    await screen.findByTestId("bulk-dropzone");
    await act(async () => backend.drop([TO_HELP, TO_CARE_MANAGER]));
    await waitFor(() => expect(screen.getByRole("button", { name: "一括送信" })).toBeEnabled());
    // The relay stored the send, but its answer did not arrive.
    const real = backend.bulkSend;
    backend.bulkSend = async (...args) => {
      await real(...args);
      throw apiError("connection.failed", "連携基盤に接続できません。");
    };
    await user.click(screen.getByRole("button", { name: "一括送信" }));
    expect(await screen.findByText(/送信の結果を確かめられませんでした/)).toBeInTheDocument();
    backend.bulkSend = real;
    await user.click(screen.getByRole("button", { name: "一括送信" }));
    expect(await screen.findByRole("status")).toHaveTextContent("2 事業所に送信しました。");
    expect(backend.bulkSends[1].planKey).toBe(backend.bulkSends[0].planKey);
    expect(backend.outbox, "one message per destination").toHaveLength(2);
  });

  it("shows a failed destination's findings per file and 利用者", async () => {
    const backend = new FakeBackend();
    renderBulk(backend);
    await screen.findByTestId("bulk-dropzone");
    const broken = "/x/UPPLAN_REPEATED_202505_1370000018_43_1370000026_11_20250425120000.CSV";
    await act(async () => backend.drop([broken]));
    const row = await screen.findByTestId("destination-1370000026");
    expect(await within(row).findByText("1・2・3行目ほか（同じ問題が 3 件）: 開始時刻が時刻の形（hhmm）ではありません。")).toBeInTheDocument();
    expect(within(row).getByText(/利用者: 山田/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "一括送信" })).toBeDisabled();
  });
});

describe("一括送信 from a draft", () => {
  it("takes the draft's files, gives its attachments and message to its destination, and names the draft in the send", async () => {
    const backend = new FakeBackend();
    await backend.saveDraft(null, "1370000026", "下書きのメッセージ", [TO_HELP, "/x/写真.png"]);
    const opened = await backend.openDraft("d1");
    const plan = await backend.planBulk(opened.paths);
    const user = userEvent.setup();
    render(
      <BackendProvider backend={backend}>
        <WithBulkWork work={bulkFromDraft(opened, plan)} />
      </BackendProvider>,
    );
    await user.click(screen.getByRole("button", { name: "seed" }));
    const help = await screen.findByTestId("destination-1370000026");
    expect(await within(help).findByText("写真.png（添付）")).toBeInTheDocument();
    expect(within(help).getByText("下書きのメッセージ")).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByText(/送信先を読み取れない/)).not.toBeInTheDocument());
    await user.click(screen.getByRole("button", { name: "一括送信" }));
    expect(await screen.findByText("ひまわりヘルパーステーション（1370000026）: 成功（2 ファイル）")).toBeInTheDocument();
    expect(backend.bulkSends[0].fromDraft, "the relay removes the draft with the send").toBe("d1");
    expect(backend.drafts).toHaveLength(0);
  });
});

describe("一括送信 with groupings that answer out of order", () => {
  it("sends only what the grouping of the files as they are now says, whichever answer arrives first", async () => {
    const backend = new FakeBackend();
    const plans = holdAnswers(backend, "planBulk");
    const user = userEvent.setup();
    renderBulk(backend);
    await screen.findByTestId("bulk-dropzone");
    await act(async () => backend.drop([TO_HELP]));
    await act(async () => backend.drop([TO_UNKNOWN]));
    expect(plans.map((p) => p.args[0])).toEqual([[TO_HELP], [TO_HELP, TO_UNKNOWN]]);

    // The grouping of the old list arrives first: nothing may be sent on it.
    await act(() => plans[0].release());
    expect(screen.getByText("送信先ごとに分けています…")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "一括送信" })).toBeDisabled();
    await act(() => plans[1].release());
    expect(await screen.findByTestId("destination-1390000095")).toBeInTheDocument();

    // Another file; the newer grouping answers first and the older one late.
    await act(async () => backend.drop([TO_HELP_2]));
    await act(async () => backend.drop(["/x/UPPLAN_202505_1370000018_43_1370000018_43_20250425120000.CSV"]));
    await act(() => plans[3].release());
    expect(await screen.findByTestId("destination-1370000018")).toBeInTheDocument();
    await act(() => plans[2].release());
    expect(screen.getByTestId("destination-1370000018"), "the late answer changes nothing").toBeInTheDocument();
    expect(within(screen.getByTestId("destination-1370000026")).getAllByRole("listitem")).toHaveLength(2);

    await user.click(screen.getByRole("button", { name: "一括送信" }));
    await screen.findByRole("region", { name: "一括送信の結果" });
    expect(backend.bulkSends[0].paths).toHaveLength(4);
  });
});

describe("一括送信's 編集", () => {
  it("keeps the message typed while the file dialog was open, and the attachment chosen in it", async () => {
    const backend = new FakeBackend();
    backend.chooseFiles = async () => ["/x/写真.png"];
    const dialogs = holdAnswers(backend, "chooseFiles");
    const user = userEvent.setup();
    renderBulk(backend);
    await screen.findByTestId("bulk-dropzone");
    await act(async () => backend.drop([TO_HELP]));
    const help = await screen.findByTestId("destination-1370000026");
    await user.click(within(help).getByRole("button", { name: "編集" }));
    await user.click(within(help).getByRole("button", { name: "添付ファイルを追加" }));
    await user.type(within(help).getByLabelText("1370000026 へのメッセージ"), "5月分です");
    await act(() => dialogs[0].release());

    expect(within(help).getByText("写真.png（添付）")).toBeInTheDocument();
    expect(within(help).getByLabelText("1370000026 へのメッセージ")).toHaveValue("5月分です");
    await user.click(screen.getByRole("button", { name: "一括送信" }));
    await screen.findByRole("region", { name: "一括送信の結果" });
    expect(backend.bulkSends[0].edits).toEqual([{ office_number: "1370000026", message: "5月分です", attachment_paths: ["/x/写真.png"] }]);
  });
});
