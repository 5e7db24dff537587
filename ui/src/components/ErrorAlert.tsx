import type { ApiDiagnostic } from "../bindings/ApiDiagnostic";
import type { ApiError } from "../bindings/ApiError";
import { ja } from "../i18n";

/** A diagnostic with where it was found, as far as it says. */
function placed(d: ApiDiagnostic): string {
  if (!d.file) return d.message;
  return d.line ? ja.diagnostic.atFileLine(d.file, d.line, d.message) : ja.diagnostic.atFile(d.file, d.message);
}

/**
 * A failure as the user reads it: the Japanese message, each diagnostic when there are some, and the
 * relay's request id when the relay refused (the number the help desk asks for).
 */
export function ErrorAlert({ error }: { error: ApiError | null }) {
  if (!error) return null;
  return (
    <div className="alert error" role="alert">
      <div>{error.message}</div>
      {error.diagnostics && error.diagnostics.length > 0 && (
        <ul>
          {error.diagnostics.map((d, i) => (
            <li key={i}>{placed(d)}</li>
          ))}
        </ul>
      )}
      {error.request_id && <div className="muted request-id">{ja.error.requestId(error.request_id)}</div>}
    </div>
  );
}
