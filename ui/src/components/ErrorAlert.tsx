import type { ApiError } from "../bindings/ApiError";

/** A failure as the user reads it: the Japanese message, and each diagnostic when there are some. */
export function ErrorAlert({ error }: { error: ApiError | null }) {
  if (!error) return null;
  return (
    <div className="alert error" role="alert">
      <div>{error.message}</div>
      {error.diagnostics && error.diagnostics.length > 0 && (
        <ul>
          {error.diagnostics.map((d, i) => (
            <li key={i}>
              {d.file ? `${d.file}${d.line ? ` ${d.line}行目` : ""}: ` : ""}
              {d.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
