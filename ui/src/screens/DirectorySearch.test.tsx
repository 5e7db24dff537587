// 利用事業所検索 where a destination is chosen by hand: 新規作成's number, 一括送信's destinations for
// attachments alone. The fake relay searches its register as the relay does (kana folded, by
// prefecture, city and number, 20 a page).
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent, { type UserEvent } from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { BackendProvider } from "../backend/BackendContext";
import type { Office } from "../bindings/Office";
import { sendConfirmed } from "../test/confirmSend";
import { holdAnswers } from "../test/heldAnswers";
import { DAY_CARE, FakeBackend, HOME_HELP, apiError } from "../test/fakeBackend";
import { BulkSendScreen } from "./BulkSendScreen";
import { NewMessageScreen } from "./NewMessageScreen";

const NAME = "事業所名か番号（一部・かなでも可）";
const TO_HELP = "/x/UPPLAN_202505_1370000018_43_1370000026_11_20250425120000.CSV";

/** The fake relay with a logged-in office: the directory answers only a session. */
function loggedIn(): FakeBackend {
  const backend = new FakeBackend();
  backend.stage = 2;
  return backend;
}

function renderScreen(backend: FakeBackend, screenOf: "compose" | "bulk") {
  return render(<BackendProvider backend={backend}>{screenOf === "compose" ? <NewMessageScreen /> : <BulkSendScreen />}</BackendProvider>);
}

/** Opens 事業所名で探す and searches by this name. */
async function searchByName(user: UserEvent, name: string) {
  const open = screen.queryByRole("button", { name: "事業所名で探す" });
  if (open) await user.click(open);
  const field = screen.getByLabelText(NAME);
  await user.clear(field);
  await user.type(field, `${name}{Enter}`);
}

const searches = (backend: FakeBackend) => backend.calls.filter((c) => c === "searchDirectory").length;
const resultButtons = () => within(screen.getByRole("list", { name: "検索結果" })).getAllByRole("button");
const chooseName = (office: Office) => `${office.name}（${office.number}）を送信先にする`;

/** `count` offices named みどり…, in the register for a search that fills more than a page. */
function manyOffices(count: number): { office: Office; name_kana: string }[] {
  return Array.from({ length: count }, (_, i) => ({
    office: { number: `13710${String(i).padStart(5, "0")}`, name: `みどり訪問介護 第${i + 1}`, service_kinds: ["11"], prefecture: "東京都", city: "杉並区", uses_system: true },
    name_kana: "",
  }));
}

describe("新規作成: 事業所名で探す", () => {
  it("finds an office by its name in katakana, and choosing it confirms the destination by name as 送信先を確認 does", async () => {
    const backend = loggedIn();
    backend.chooseFiles = async () => ["/x/紹介状.pdf"];
    const user = userEvent.setup();
    renderScreen(backend, "compose");
    await searchByName(user, "ヒマワリ");
    expect(await screen.findByRole("status")).toHaveTextContent("1 件見つかりました（1～1 件目）");
    const found = screen.getByRole("button", { name: chooseName(HOME_HELP) });
    expect(found).toHaveAccessibleDescription("サービス種類: 11 訪問介護 東京都新宿区");

    await user.click(found);
    expect(await screen.findByText("送信先: ひまわりヘルパーステーション（事業所番号 1370000026、サービス種類 11 訪問介護）")).toBeInTheDocument();
    expect(screen.getByLabelText("事業所番号")).toHaveValue("1370000026");
    expect(backend.calls, "confirmed at the relay as a typed number is").toContain("lookupOffice");
    expect(screen.queryByLabelText(NAME), "the search closes once chosen").not.toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "ファイルを選ぶ" }));
    await sendConfirmed(user);
    expect(await screen.findByText("送信成功しました（ひまわりヘルパーステーション（1370000026）へ 1 ファイル）")).toBeInTheDocument();
    expect(backend.outbox[0].counterpart.number).toBe(HOME_HELP.number);
  });

  it("is worked with the keyboard alone: Enter searches, the arrows move between results, Enter chooses", async () => {
    const backend = loggedIn();
    const user = userEvent.setup();
    renderScreen(backend, "compose");
    screen.getByRole("button", { name: "事業所名で探す" }).focus();
    await user.keyboard("{Enter}");
    await user.tab();
    expect(screen.getByLabelText(NAME)).toHaveFocus();
    await user.keyboard("介護{Enter}");
    await screen.findByText(/3 件見つかりました/);
    // From the name: 市区町村, サービス種類, 検索, then the first result.
    await user.tab();
    await user.tab();
    await user.tab();
    await user.tab();
    const [first, second] = resultButtons();
    expect(first).toHaveFocus();
    await user.keyboard("{ArrowDown}");
    expect(second).toHaveFocus();
    const chosen = second.getAttribute("aria-label") ?? "";
    await user.keyboard("{Enter}");
    expect(screen.getByRole("button", { name: "事業所名で探す" }), "the focus goes back where the search was opened").toHaveFocus();
    const number = /（(\d{10})）を送信先にする$/.exec(chosen)?.[1];
    expect(number).toBeDefined();
    await waitFor(() => expect(screen.getByLabelText("事業所番号")).toHaveValue(number));
    expect(await screen.findByText(new RegExp(`^送信先: .+（事業所番号 ${number}、`))).toBeInTheDocument();
  });

  it("refuses an empty query and a name of one character before asking the relay; two characters are asked", async () => {
    const backend = loggedIn();
    const user = userEvent.setup();
    renderScreen(backend, "compose");
    await user.click(screen.getByRole("button", { name: "事業所名で探す" }));
    await user.click(screen.getByRole("button", { name: "検索" }));
    expect(screen.getByRole("alert")).toHaveTextContent("事業所名か市区町村を入力してから「検索」を押してください。");
    await user.type(screen.getByLabelText(NAME), "   {Enter}");
    expect(screen.getByRole("alert")).toHaveTextContent("事業所名か市区町村を入力してから");
    await searchByName(user, "ひ");
    expect(screen.getByRole("alert")).toHaveTextContent("事業所名か番号は 2 文字以上で入力してください");
    expect(screen.getByLabelText(NAME)).toHaveFocus();
    expect(searches(backend), "nothing was asked").toBe(0);

    await searchByName(user, "ひま");
    expect(await screen.findByText(/1 件見つかりました/)).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(searches(backend)).toBe(1);
    // One character is enough with a 市区町村 to narrow it.
    await user.clear(screen.getByLabelText(NAME));
    await user.type(screen.getByLabelText(NAME), "ひ");
    await user.type(screen.getByLabelText("市区町村（任意）"), "新宿{Enter}");
    expect(await screen.findByText(/2 件見つかりました/)).toBeInTheDocument();
  });

  it("takes a name up to the relay's 100 characters and no more", async () => {
    const backend = loggedIn();
    const user = userEvent.setup();
    renderScreen(backend, "compose");
    await user.click(screen.getByRole("button", { name: "事業所名で探す" }));
    await user.type(screen.getByLabelText(NAME), `${"あ".repeat(101)}{Enter}`);
    expect(screen.getByLabelText(NAME)).toHaveValue("あ".repeat(100));
    expect(await screen.findByText(/該当する事業所がありません/)).toBeInTheDocument();
    expect(screen.queryByText(/100文字までにしてください/), "the relay did not refuse it").not.toBeInTheDocument();
  });

  it("finds by the first digits of the 事業所番号, typed in full-width digits too", async () => {
    const backend = loggedIn();
    const user = userEvent.setup();
    renderScreen(backend, "compose");
    await searchByName(user, "１３７００００");
    expect(await screen.findByText(/^3 件見つかりました/)).toBeInTheDocument();
    expect(backend.calls.filter((c) => c === "searchDirectory")).toHaveLength(1);
    await searchByName(user, "1370000042");
    await user.click(await screen.findByRole("button", { name: chooseName(DAY_CARE) }));
    expect(await screen.findByText("送信先: さくら通所介護センター（事業所番号 1370000042、サービス種類 15 通所介護）")).toBeInTheDocument();
  });

  it("says so when nothing matches, and what to do when the relay cannot be asked; 検索 asks again", async () => {
    const backend = loggedIn();
    const user = userEvent.setup();
    renderScreen(backend, "compose");
    await searchByName(user, "存在しない事業所");
    expect(await screen.findByRole("status")).toHaveTextContent("該当する事業所がありません。名前の一部だけ（例:「ひまわり」）や、かなで探してみてください。 事業所番号が分かるときは、番号を入力して「送信先を確認」を押してください。");
    expect(screen.queryByRole("list", { name: "検索結果" })).not.toBeInTheDocument();

    backend.fail.searchDirectory = apiError("connection.failed", "連携基盤に接続できません。インターネットへの接続と、設定の接続先（URL）を確認してください。");
    await searchByName(user, "さくら");
    const alerts = await screen.findAllByRole("alert");
    expect(alerts[0]).toHaveTextContent("連携基盤に接続できません。");
    expect(alerts[1]).toHaveTextContent("事業所を検索できませんでした。しばらくしてからもう一度「検索」を押してください。");
    expect(screen.getByLabelText("事業所番号"), "nothing was filled").toHaveValue("");

    await user.click(screen.getByRole("button", { name: "検索" }));
    expect(await screen.findByRole("button", { name: chooseName(DAY_CARE) })).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("says it is searching while the relay has not answered, and takes no second 検索 meanwhile", async () => {
    const backend = loggedIn();
    const held = holdAnswers(backend, "searchDirectory");
    const user = userEvent.setup();
    renderScreen(backend, "compose");
    await searchByName(user, "ひまわり");
    expect(screen.getByRole("status")).toHaveTextContent("事業所を検索しています…");
    expect(screen.getByRole("button", { name: "検索" })).toBeDisabled();
    expect(held.map((h) => h.args[0].name)).toEqual(["ひまわり"]);
    await act(async () => held[0].release());
    expect(await screen.findByRole("button", { name: chooseName(HOME_HELP) })).toBeInTheDocument();
    expect(screen.getByRole("status")).toHaveTextContent("1 件見つかりました");
  });

  it("pages through more offices than a page holds, and a choice on the second page is confirmed", async () => {
    const backend = loggedIn();
    const many = manyOffices(25);
    backend.directory.push(...many);
    const user = userEvent.setup();
    renderScreen(backend, "compose");
    await searchByName(user, "みどり");
    expect(await screen.findByRole("status")).toHaveTextContent("25 件見つかりました（1～20 件目）");
    expect(resultButtons()).toHaveLength(20);
    expect(screen.getByText("1 / 2 ページ")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "前の20件" })).toBeDisabled();

    // From the keyboard: the pager goes away while the next page comes, and the focus goes on at
    // its first result rather than being lost.
    screen.getByRole("button", { name: "次の20件" }).focus();
    await user.keyboard("{Enter}");
    expect(await screen.findByText(/21～25 件目/)).toBeInTheDocument();
    expect(resultButtons()).toHaveLength(5);
    await waitFor(() => expect(resultButtons()[0]).toHaveFocus());
    expect(screen.getByRole("button", { name: "次の20件" })).toBeDisabled();
    await user.click(screen.getByRole("button", { name: chooseName(many[24].office) }));
    expect(await screen.findByText(/^送信先: みどり訪問介護 第25（事業所番号 1371000024、/)).toBeInTheDocument();
  });

  it("narrows by サービス種類, and a chosen office that disagrees with the dropped files is shown before 送信", async () => {
    const backend = loggedIn();
    const user = userEvent.setup();
    renderScreen(backend, "compose");
    await screen.findByTestId("dropzone");
    await act(async () => backend.drop([TO_HELP]));
    await screen.findByText(/送信先: ひまわりヘルパーステーション/);
    await user.click(screen.getByRole("button", { name: "事業所名で探す" }));
    await user.selectOptions(screen.getByLabelText("サービス種類（任意）"), "15");
    await user.type(screen.getByLabelText(NAME), "介護{Enter}");
    expect(await screen.findByText(/^1 件見つかりました/)).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: chooseName(DAY_CARE) }));
    expect(await screen.findByRole("alert")).toHaveTextContent("入力した事業所番号（1370000042）は、ファイルの送信先（1370000026）と違います");
    expect(screen.getByRole("button", { name: "送信" })).toBeDisabled();
  });
});

describe("一括送信: 添付ファイルだけを送る送信先", () => {
  it("adds an office found by name, takes its attachments in 編集 and sends them to it", async () => {
    const backend = loggedIn();
    backend.chooseFiles = async () => ["/x/紹介状.pdf"];
    const user = userEvent.setup();
    renderScreen(backend, "bulk");
    await searchByName(user, "さくら");
    await user.click(await screen.findByRole("button", { name: chooseName(DAY_CARE) }));
    expect(screen.getByRole("status")).toHaveTextContent("さくら通所介護センター（1370000042）を送信先に加えました。");
    const row = screen.getByTestId("destination-1370000042");
    expect(within(row).getByText("さくら通所介護センター")).toBeInTheDocument();
    expect(within(row).getByText(/送るファイルがありません/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "一括送信" }), "nothing to send to it yet").toBeDisabled();

    await user.click(within(row).getByRole("button", { name: "添付ファイルを追加" }));
    expect(within(row).getByText("紹介状.pdf（添付）")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "一括送信" }));
    expect(await screen.findByText("1 事業所に送信しました。")).toBeInTheDocument();
    expect(backend.bulkSends[0].paths).toEqual([]);
    expect(backend.bulkSends[0].edits).toEqual([{ office_number: "1370000042", message: "", attachment_paths: ["/x/紹介状.pdf"] }]);
    expect(backend.outbox[0].counterpart.number).toBe(DAY_CARE.number);
    expect(screen.queryByTestId("destination-1370000042"), "a sent destination leaves the plan").not.toBeInTheDocument();
  });

  it("is sent with the files' destinations, and one added by mistake is taken out with 外す", async () => {
    const backend = loggedIn();
    backend.chooseFiles = async () => ["/x/写真.png"];
    const user = userEvent.setup();
    renderScreen(backend, "bulk");
    await screen.findByTestId("bulk-dropzone");
    await act(async () => backend.drop([TO_HELP]));
    await screen.findByTestId("destination-1370000026");
    await searchByName(user, "なにわ");
    expect(await screen.findByText(/連携システムの利用期間外/)).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: /^なにわ訪問介護ステーション（2770000017）/ }));
    await user.click(within(screen.getByTestId("destination-2770000017")).getByRole("button", { name: "なにわ訪問介護ステーションを送信先から外す" }));
    expect(screen.queryByTestId("destination-2770000017")).not.toBeInTheDocument();

    await searchByName(user, "さくら");
    await user.click(await screen.findByRole("button", { name: chooseName(DAY_CARE) }));
    await user.click(within(screen.getByTestId("destination-1370000042")).getByRole("button", { name: "添付ファイルを追加" }));
    // The files' own destination cannot be taken out as a whole: its files say where they go.
    expect(within(screen.getByTestId("destination-1370000026")).queryByRole("button", { name: /を送信先から外す$/ })).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "一括送信" }));
    expect(await screen.findByText("2 事業所に送信しました。")).toBeInTheDocument();
    expect(backend.outbox.map((m) => m.counterpart.number).sort()).toEqual(["1370000026", "1370000042"]);
  });

  it("says when nothing matches and refuses an empty query, as in 新規作成", async () => {
    const backend = loggedIn();
    const user = userEvent.setup();
    renderScreen(backend, "bulk");
    await user.click(screen.getByRole("button", { name: "事業所名で探す" }));
    await user.click(screen.getByRole("button", { name: "検索" }));
    expect(screen.getByRole("alert")).toHaveTextContent("事業所名か市区町村を入力してから「検索」を押してください。");
    expect(searches(backend)).toBe(0);
    await searchByName(user, "存在しない事業所");
    expect(await screen.findByText(/該当する事業所がありません/)).toBeInTheDocument();
    expect(screen.getByRole("status"), "no 送信先を確認 to offer here").not.toHaveTextContent("送信先を確認");
    expect(screen.queryByRole("row"), "no destination was added").not.toBeInTheDocument();
  });
});
