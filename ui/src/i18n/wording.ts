// A vendor's wording over the catalog. The build checks the theme's "messages" and hands them over
// as dotted catalog paths → texts, in which a function entry's values are numbered in the order of
// its parameters ("{0}", "{1}"…): the parameters' names are gone from a minified build.

export type Wording = Record<string, string>;

/** `text` with `{0}`, `{1}`… replaced by `values`. */
export function fill(text: string, values: readonly unknown[]): string {
  return text.replace(/\{(\d+)\}/g, (_, index: string) => String(values[Number(index)]));
}

/** The catalog with each worded entry replaced: a text by the vendor's text, a function by one filling the vendor's. */
export function applyWording<T extends object>(catalog: T, wording: Wording, prefix = ""): T {
  const worded: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(catalog)) {
    const path = prefix + key;
    const text = wording[path];
    if (typeof value === "function") worded[key] = text === undefined ? value : (...values: unknown[]) => fill(text, values);
    else if (typeof value === "object" && value !== null) worded[key] = applyWording(value, wording, `${path}.`);
    else worded[key] = text ?? value;
  }
  return worded as T;
}
