// 電子証明書の申請 in 設定: the app makes the key on this PC and asks the office portal for its
// certificate with the 事業所ユーザID and the 証明書発行用パスワード; the certificate is kept beside the
// key and chosen in 設定, as an imported one would be. The portal's address is proposed from 接続先.
import { useState, type FormEvent } from "react";
import { useBackend } from "../../backend/BackendContext";
import { queryKeys, useAppInfo } from "../../backend/queries";
import { useAction } from "../../backend/useAction";
import type { Settings } from "../../bindings/Settings";
import { Outcome } from "../../components/Loaded";
import { ja } from "../../i18n";

export function CertificateRequest({ saved }: { saved: Settings }) {
  const backend = useBackend();
  const proposed = useAppInfo().data?.portal_url ?? "";
  // Until the person types their own, the address follows 接続先.
  const [portalUrl, setPortalUrl] = useState<string | null>(null);
  const [officeUserId, setOfficeUserId] = useState(saved.office_user_id ?? "");
  const [issuancePassword, setIssuancePassword] = useState("");
  const action = useAction({ rereads: [queryKeys.settings, queryKeys.appInfo] });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    action.run(async () => {
      const imported = await backend.requestCertificate(portalUrl ?? proposed, officeUserId, issuancePassword);
      setIssuancePassword("");
      return ja.certificateRequest.done(imported.file_name);
    });
  };

  return (
    <section aria-labelledby="certificate-request-heading" style={{ marginTop: "1rem" }}>
      <h3 id="certificate-request-heading">{ja.certificateRequest.heading}</h3>
      <p className="muted">{ja.certificateRequest.hint}</p>
      <form className="form" onSubmit={submit}>
        <label>
          {ja.certificateRequest.portalUrl}
          <input type="url" value={portalUrl ?? proposed} placeholder="https://" onChange={(e) => setPortalUrl(e.target.value)} />
        </label>
        <label>
          {ja.certificateRequest.officeUserId}
          <input type="text" value={officeUserId} autoComplete="username" onChange={(e) => setOfficeUserId(e.target.value)} />
        </label>
        <label>
          {ja.certificateRequest.issuancePassword}
          <input
            type="password"
            value={issuancePassword}
            autoComplete="off"
            aria-describedby="issuance-password-hint"
            onChange={(e) => setIssuancePassword(e.target.value)}
          />
        </label>
        <p id="issuance-password-hint" className="muted">
          {ja.certificateRequest.issuancePasswordHint} {ja.certificateRequest.pcName(saved.terminal_name)}
        </p>
        <div>
          <button className="button secondary" type="submit" disabled={action.working}>
            {action.working ? ja.certificateRequest.working : ja.certificateRequest.submit}
          </button>
        </div>
      </form>
      <Outcome done={action.result} error={action.error} />
    </section>
  );
}
