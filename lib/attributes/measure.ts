// Measuring attributes on outputs. Lexicon attributes are computed in-process (lib/metrics/lexicon.ts), compiled
// once per version; judge and classifier attributes call their services (./judge.ts, ./classifier.ts).
import { compileLexicon, lexiconValue, type CompiledLexicon } from "@/lib/metrics/lexicon";
import type { AttributeVersionSnapshot } from "./spec";

// A version never changes, so its compiled lexicon can be kept for the process's life (bounded: at most a few
// hundred versions are ever measured by one process).
const compiled = new Map<string, CompiledLexicon>();
const MAX_COMPILED = 500;

function lexiconOf(a: AttributeVersionSnapshot): CompiledLexicon | null {
  if (a.definition.kind !== "lexicon") return null;
  let c = compiled.get(a.versionId);
  if (!c) {
    if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
    c = compileLexicon(a.definition);
    compiled.set(a.versionId, c);
  }
  return c;
}

/** The in-process (lexicon) attributes' values for one text, by metric id. */
export function lexiconScores(attributes: readonly AttributeVersionSnapshot[], text: string): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const a of attributes) {
    const lex = lexiconOf(a);
    if (lex) out[a.metric] = lexiconValue(lex, text);
  }
  return out;
}
