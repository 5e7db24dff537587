// 印刷: one form at a time through the system print dialog (PDF printers included). The page's
// size and orientation follow the paper form (A4 landscape for 第2表, 第3表, 第6表, 第7表; portrait
// otherwise); the rest of the screen is hidden while printing (forms.css, @media print).

export type Orientation = "portrait" | "landscape";

const PAGE_STYLE_ID = "careplan-print-page";

/** Marks `block` as what is printed and sets the page; returns what puts everything back. */
export function markForPrint(block: HTMLElement, orientation: Orientation): () => void {
  const style = document.createElement("style");
  style.id = PAGE_STYLE_ID;
  style.textContent = `@page { size: A4 ${orientation}; margin: 10mm; }`;
  document.getElementById(PAGE_STYLE_ID)?.remove();
  document.head.appendChild(style);
  document.documentElement.classList.add("printing-form");
  block.classList.add("printed");
  return () => {
    block.classList.remove("printed");
    document.documentElement.classList.remove("printing-form");
    style.remove();
  };
}

/** Prints `block` alone through the system print dialog, and puts everything back afterwards. */
export function printForm(block: HTMLElement, orientation: Orientation) {
  const restore = markForPrint(block, orientation);
  window.addEventListener("afterprint", restore, { once: true });
  window.print();
}

/** The orientation of a block: landscape when any of its sheets is. */
export function orientationOf(block: HTMLElement): Orientation {
  return block.querySelector(".sheet.landscape") ? "landscape" : "portrait";
}
