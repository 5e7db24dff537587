// A catalog sentence in which some values are elements (a phone number in its own span, an ID in
// <code>): the sentence is made with a marker in place of each element, then each marker becomes its
// element, so the word order stays the catalog's, or the vendor's.
import { Fragment, type ReactNode } from "react";

const MARKER = "\u{E000}";

export function Sentence({ make, parts }: { make: (...markers: string[]) => string; parts: ReactNode[] }) {
  const text = make(...parts.map((_, index) => `${MARKER}${index}${MARKER}`));
  const pieces = text.split(new RegExp(`${MARKER}(\\d+)${MARKER}`));
  // split() with a group: the text between markers at even places, the markers' numbers at odd ones.
  return <>{pieces.map((piece, i) => <Fragment key={i}>{i % 2 === 0 ? piece : parts[Number(piece)]}</Fragment>)}</>;
}
