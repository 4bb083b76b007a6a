// Bidirectional control characters in exports. A right-to-left override (U+202E) or embedding in a model's name or
// output reverses the text after it wherever the file is shown: the rest of a CSV line in an editor, the cell in a
// spreadsheet, the rest of a LaTeX table row. The files meant to be read or typeset (LaTeX, CSV, the figures) drop
// the embedding, override and isolate controls; the JSON and JSON Lines exports keep every text exactly as stored.
// The marks (LRM U+200E, RLM U+200F, ALM U+061C) are kept: they are how right-to-left text is written correctly, and
// they cannot reverse anything beyond the characters next to them.

/** LRE, RLE, PDF, LRO, RLO (U+202A–U+202E) and LRI, RLI, FSI, PDI (U+2066–U+2069). */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

export function stripBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, "");
}
