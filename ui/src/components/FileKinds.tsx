// A list's ファイル種別 column: 登録 or 削除, and what the file is in words (「登録・サービス利用票（第6表）」).
import { useFileKindNames } from "../backend/queries";
import type { FileCategory } from "../bindings/FileCategory";
import { ja } from "../i18n";

/** What a file is, in words, from its name's prefix (the longest that fits: UPKIHON_SUB1 before UPKIHON). */
export function kindOf(name: string, kinds: Record<string, string>): string | null {
  const prefix = Object.keys(kinds)
    .filter((p) => name.startsWith(`${p}_`))
    .sort((a, b) => b.length - a.length)[0];
  return prefix ? kinds[prefix] : null;
}

type Listed = { id: string; name: string; category: FileCategory };

/** One line per file, in the order of the file-name column beside it. */
export function FileKinds({ files }: { files: Listed[] }) {
  const kinds = useFileKindNames().data ?? {};
  return (
    <ul className="files">
      {files.map((f) => {
        const kind = kindOf(f.name, kinds);
        const category = ja.list.category[f.category];
        return <li key={f.id}>{kind ? ja.list.categoryAndKind(category, kind) : category}</li>;
      })}
    </ul>
  );
}
