// Text measurement for figure layout with the metrics of the font the PDF embeds (DejaVu Sans; CJK text falls back to
// Source Han Sans, whose ideographs, kana and Hangul are one em wide). Pure: runs in Node and in the browser, so a
// figure is laid out identically wherever it is drawn. Widths are measured without kerning, which only narrows
// text: a measured box is never smaller than the drawn text.
import { ASCENDER, BOLD, CAP_HEIGHT, DESCENT, REGULAR, UNITS_PER_EM, X_HEIGHT } from "./font-metrics";

/** The font family written into SVG text: DejaVu Sans first (what the PDF embeds), then fonts of similar width. */
export const FIGURE_FONT_FAMILY = "'DejaVu Sans', 'Bitstream Vera Sans', Verdana, 'Noto Sans', Arial, sans-serif";
/** Fallback for CJK text (the PDF embeds Source Han Sans for it). */
export const CJK_FONT_FAMILY = "'Source Han Sans CN', 'Source Han Sans', 'Noto Sans CJK SC', 'Noto Sans SC', sans-serif";

export const EM = {
  capHeight: CAP_HEIGHT / UNITS_PER_EM,
  xHeight: X_HEIGHT / UNITS_PER_EM,
  ascender: ASCENDER / UNITS_PER_EM,
  descender: DESCENT / UNITS_PER_EM,
};

function table(ranges: [number, number[]][]): Map<number, number> {
  const m = new Map<number, number>();
  for (const [start, widths] of ranges) widths.forEach((w, k) => m.set(start + k, w));
  return m;
}
let regular: Map<number, number> | null = null;
let bold: Map<number, number> | null = null;

/** East Asian wide characters: CJK ideographs and punctuation, kana, Hangul, full-width forms. */
export function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa960 && cp <= 0xa97f) ||
    (cp >= 0xac00 && cp <= 0xd7ff) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/** Advance width of one code point in em. */
export function advance(cp: number, weight: "normal" | "bold" = "normal"): number {
  const t = weight === "bold" ? (bold ??= table(BOLD)) : (regular ??= table(REGULAR));
  const w = t.get(cp);
  if (w !== undefined) return w / UNITS_PER_EM;
  if (isWide(cp)) return 1;
  if (cp < 0x20 || (cp >= 0x300 && cp < 0x370) || cp === 0x200b || cp === 0xfe0f) return 0; // controls, combining marks
  return 0.7; // a glyph neither font has: a generous guess
}

/** Width of `text` set at `size` (the same unit as size: points in figures). */
export function measure(text: string, size: number, weight: "normal" | "bold" = "normal"): number {
  let w = 0;
  for (const ch of text) w += advance(ch.codePointAt(0)!, weight);
  return w * size;
}

/** True when the text needs the CJK fallback font. */
export function needsCjk(text: string): boolean {
  for (const ch of text) if (isWide(ch.codePointAt(0)!)) return true;
  return false;
}

/**
 * Breaks `text` into lines no wider than `maxWidth` at spaces (and after "-", "/", "(" boundaries when a word is too
 * long, and between CJK characters); at most `maxLines`, the last one ending in "…" when the text does not fit.
 */
export function wrap(text: string, size: number, maxWidth: number, maxLines = 2, weight: "normal" | "bold" = "normal"): string[] {
  const fits = (s: string) => measure(s, size, weight) <= maxWidth + 1e-9;
  if (fits(text)) return [text];
  // Break opportunities (a no-break space U+00A0 is none): after spaces, after hyphens and slashes, before "(" (which stays with its word), around
  // wide characters.
  const tokens = text.match(/\(?[^ \t\r\n\-/(\u1100-\u115f\u2e80-\u9fff\uac00-\ud7ff\uf900-\ufaff\uff00-\uff60]+[-/]?|[ \t\r\n]+|[-/(]|./gu) ?? [text];
  const lines: string[] = [];
  let line = "";
  for (const tok of tokens) {
    const next = line + tok;
    if (line.trim() === "" || fits(next.trimEnd())) {
      line = next;
      continue;
    }
    lines.push(line.trimEnd());
    line = tok.trimStart();
  }
  if (line.trim()) lines.push(line.trimEnd());
  // A single token wider than the line: cut it by characters.
  const out: string[] = [];
  for (const l of lines) {
    if (fits(l)) {
      out.push(l);
      continue;
    }
    let cur = "";
    for (const ch of l) {
      if (cur && !fits(cur + ch)) {
        out.push(cur);
        cur = "";
      }
      cur += ch;
    }
    if (cur) out.push(cur);
  }
  if (out.length <= maxLines) return out;
  const kept = out.slice(0, maxLines);
  let last = kept[maxLines - 1];
  while (last.length > 0 && !fits(`${last}…`)) last = [...last].slice(0, -1).join("");
  kept[maxLines - 1] = `${last.trimEnd()}…`;
  return kept;
}

/** True when every word of `text` fits `width` and the text wraps into at most `maxLines` lines without "…". */
export function wrapsCleanly(text: string, size: number, width: number, maxLines: number): boolean {
  if (text.split(/[ \t\r\n]+/).some((w) => measure(w, size) > width)) return false;
  return wrap(text, size, width, maxLines + 1).length <= maxLines;
}
