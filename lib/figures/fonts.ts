// The fonts figures are set in, as files of npm packages (Node only: the PDF writer and the metrics generator).
// DejaVu Sans (@fontsource/dejavu-sans, the full font in its "latin" files) for Latin, Greek, Cyrillic and the
// symbols; Source Han Sans (@librescore/fonts: CN for Chinese ideographs and kana, KR for Hangul) as a fallback that
// the PDF writer only embeds when a text needs it. Every font is embedded as a subset of the glyphs used.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { create, type Font } from "fontkit";
import { woff2ToSfnt, woffToSfnt, Woff2Error } from "./sfnt";

/** Package-relative files (resolved from the app's folder at run time: Next bundles this module elsewhere). */
export const FIGURE_FONT_FILES = {
  regular: "@fontsource/dejavu-sans/files/dejavu-sans-latin-400-normal.woff",
  bold: "@fontsource/dejavu-sans/files/dejavu-sans-latin-700-normal.woff",
  cjk: "@librescore/fonts/SourceHanSansCN.min.woff2",
  hangul: "@librescore/fonts/SourceHanSansKR.min.woff2",
} as const;

function resolutionBases(): string[] {
  const bases = [path.join(process.cwd(), "package.json")];
  try {
    bases.push(fileURLToPath(import.meta.url));
  } catch {
    /* bundled without a file URL */
  }
  return bases;
}

/** Absolute path of a package file. */
export function fontPath(file: string): string {
  let last: unknown;
  for (const base of resolutionBases()) {
    try {
      // The specifier is computed so that no bundler tries to trace it.
      return createRequire(base).resolve([file][0]);
    } catch (err) {
      last = err;
    }
  }
  throw new Error(`font file ${file} not found (is the package installed?): ${(last as Error)?.message ?? ""}`);
}

const bytes = new Map<string, Uint8Array>();
/**
 * The font's bytes, read once per process; WOFF and WOFF2 files are unpacked to OpenType with the native zlib and
 * Brotli (fontkit's JavaScript ports take seconds), unless a WOFF2's tables are transformed.
 */
export function fontBytes(file: string): Uint8Array {
  let b = bytes.get(file);
  if (!b) {
    b = new Uint8Array(fs.readFileSync(fontPath(file)));
    if (/\.woff2?$/.test(file)) {
      try {
        b = file.endsWith(".woff2") ? woff2ToSfnt(b) : woffToSfnt(b);
      } catch (err) {
        if (!(err instanceof Woff2Error)) throw err;
      }
    }
    bytes.set(file, b);
  }
  return b;
}

const opened = new Map<string, Font>();
export function openFont(file: string): Font {
  let f = opened.get(file);
  if (!f) opened.set(file, (f = create(fontBytes(file))));
  return f;
}
