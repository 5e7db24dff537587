// かんたんシミュレーション on the office portal, from the app's help: opened in the system browser,
// at the portal of 設定's relay (none before 接続先 is set, nor in 練習モード).
import { useBackend } from "../backend/BackendContext";
import { useAppInfo } from "../backend/queries";
import { useAction } from "../backend/useAction";
import { ja } from "../i18n";
import { ErrorAlert } from "./ErrorAlert";

export function SimulationLink() {
  const backend = useBackend();
  const portalUrl = useAppInfo().data?.portal_url ?? null;
  const action = useAction<void>();
  if (!portalUrl) return null;
  return (
    <div className="simulation-link">
      <button className="button secondary" type="button" aria-describedby="simulation-hint" onClick={() => action.run(() => backend.openPortal("simulation"))}>
        {ja.portalHelp.simulation}
      </button>
      <br />
      <span id="simulation-hint" className="muted">
        {ja.portalHelp.simulationHint}
      </span>
      <ErrorAlert error={action.error} />
    </div>
  );
}
