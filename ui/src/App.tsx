// The desktop app's root. The screens (login, トップページ, 受信一覧, 送信一覧, 新規作成, 下書き一覧,
// 一括送信, 設定) come next; for now it shows that the shell and its backend answer.
import { useEffect, useState } from "react";
import { invoke } from "@tauri-apps/api/core";
import type { AppInfo } from "./bindings/AppInfo";

export function App() {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    invoke<AppInfo>("app_info")
      .then(setInfo)
      .catch((e: unknown) => setError(String((e as { message?: string }).message ?? e)));
  }, []);

  return (
    <main style={{ fontFamily: "'Noto Sans CJK JP', sans-serif", padding: "2rem" }}>
      <h1>ケアプランデータ連携</h1>
      {info && (
        <p>
          バージョン {info.version}
          {info.relay_url ? `／接続先 ${info.relay_url}` : "／接続先が設定されていません"}
        </p>
      )}
      {error && <p role="alert">{error}</p>}
    </main>
  );
}
