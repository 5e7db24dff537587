// How a screen waits for what it reads and shows what went wrong, the same on every screen.
import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import type { ApiError } from "../bindings/ApiError";
import { ja } from "../i18n";
import { ErrorAlert } from "./ErrorAlert";

export function Loading({ text = ja.app.loading }: { text?: string }) {
  return (
    <p className="muted" role="status">
      {text}
    </p>
  );
}

/**
 * A query's answer: 読み込み中… until the first one has arrived, the failure when asking failed
 * (above the last answer, if there was one, which stays readable).
 */
export function Loaded<T>({ query, children, loadingText }: { query: UseQueryResult<T, ApiError>; children: (data: T) => ReactNode; loadingText?: string }) {
  return (
    <>
      <ErrorAlert error={query.error} />
      {query.data !== undefined ? children(query.data) : !query.isError && <Loading text={loadingText} />}
    </>
  );
}

/** What an action answered (送信成功しました …) or why it failed. */
export function Outcome({ done, error }: { done?: string | null; error: ApiError | null }) {
  return (
    <>
      {done && (
        <div role="status" className="alert success">
          {done}
        </div>
      )}
      <ErrorAlert error={error} />
    </>
  );
}
