// Finds colours written straight into the screens' source. Every colour must come from the theme
// (a `var(--color-…)`), or a vendor's theme would leave parts of the app in the default colours.
import colorNames from "color-name";

export interface HardCodedColour {
  line: number;
  text: string;
}

const HEX = /#[0-9a-fA-F]{3,8}\b/g;
const COLOUR_FUNCTION = /\b(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch|color)\(/g;
/** A CSS declaration (`color: red;`) or a React style entry (`color: "red"`). */
const DECLARATION = /([a-zA-Z-]+)\s*:\s*["']?([^;"'{}]+)/g;
const COLOUR_PROPERTY = /colou?r|background|border|outline|fill|stroke|shadow|caret|accent/i;

/** The hard-coded colours in one source file (CSS, TS or TSX), with their line numbers. */
export function findHardCodedColours(source: string): HardCodedColour[] {
  const found: HardCodedColour[] = [];
  withoutComments(source)
    .split("\n")
    .forEach((line, index) => {
      const hits = [...line.matchAll(HEX), ...line.matchAll(COLOUR_FUNCTION)].map((m) => m[0]);
      for (const [, property, value] of line.matchAll(DECLARATION)) {
        if (!COLOUR_PROPERTY.test(property)) continue;
        for (const word of value.toLowerCase().match(/[a-z]+/g) ?? []) {
          if (word in colorNames) hits.push(word);
        }
      }
      for (const text of hits) found.push({ line: index + 1, text });
    });
  return found;
}

/** Comments may name colours ("pale green"); blanked out, keeping the line numbers. */
function withoutComments(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, " "))
    .replace(/(^|[^:])\/\/.*$/gm, "$1");
}
