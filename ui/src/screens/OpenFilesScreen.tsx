// ファイルを開く: files on this PC (exported by the care software, or fetched earlier) read as the
// forms, chosen with the file dialog or dropped on the window. Nothing is sent anywhere.
import { useState } from "react";
import { useBackend } from "../backend/BackendContext";
import { useOpenedFiles } from "../backend/queries";
import { useFileDrop } from "../backend/useFileDrop";
import { Loaded } from "../components/Loaded";
import { FormViewer } from "../forms/FormViewer";
import { ja } from "../i18n";

export function OpenFilesScreen({ filesFolder = null }: { filesFolder?: string | null }) {
  const t = ja.forms.open;
  const backend = useBackend();
  const [paths, setPaths] = useState<string[]>([]);
  const opened = useOpenedFiles(paths.length > 0 ? { from: "disk", paths } : null);
  const drops = useFileDrop((dropped) => setPaths(dropped));
  async function choose() {
    const chosen = await backend.chooseFiles(undefined, filesFolder);
    if (chosen.length > 0) setPaths(chosen);
  }
  return (
    <section aria-label={t.heading}>
      <div className="panel dropzone" data-drop-ready={drops.ready}>
        <p>{t.intro}</p>
        <div className="toolbar">
          <button className="button" type="button" onClick={() => void choose()}>
            {paths.length > 0 ? t.again : t.choose}
          </button>
          <span className="muted">{t.drop}</span>
        </div>
      </div>
      {paths.length > 0 && <Loaded query={opened}>{(files) => <FormViewer opened={files} />}</Loaded>}
    </section>
  );
}
