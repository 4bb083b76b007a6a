// Measuring attributes on outputs. Lexicon attributes are computed in-process (lib/metrics/lexicon.ts), compiled
// once per version; judge and classifier attributes call their services (./judge.ts, ./classifier.ts).
import { compileLexicon, lexiconValue, lexiconValueOfWords, type CompiledLexicon } from "@/lib/metrics/lexicon";
import { type TextMetrics, textMetrics } from "@/lib/metrics/text";
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

// The lexicons of an attribute list, resolved once per list (a step's or an import's list serves all its outputs).
const lexiconsOfList = new WeakMap<readonly AttributeVersionSnapshot[], (readonly [string, CompiledLexicon])[]>();

function lexiconsOf(attributes: readonly AttributeVersionSnapshot[]): (readonly [string, CompiledLexicon])[] {
  let lexicons = lexiconsOfList.get(attributes);
  if (!lexicons) {
    lexicons = attributes.flatMap((a) => {
      const lex = lexiconOf(a);
      return lex ? [[a.metric, lex] as const] : [];
    });
    lexiconsOfList.set(attributes, lexicons);
  }
  return lexicons;
}

/** The in-process (lexicon) attributes' values for one text, by metric id. */
export function lexiconScores(attributes: readonly AttributeVersionSnapshot[], text: string): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [metric, lex] of lexiconsOf(attributes)) out[metric] = lexiconValue(lex, text);
  return out;
}

/**
 * An output's textual metrics and its lexicon attributes' values, from one pass over its words: the lexicons reuse
 * the words `textMetrics` splits (bench:attributes (a): a lexicon adds about a tenth to the profile, a third before).
 */
export function measureText(attributes: readonly AttributeVersionSnapshot[], text: string): { metrics: TextMetrics; lexicon: Record<string, number | null> } {
  const lexicons = lexiconsOf(attributes);
  const lexicon: Record<string, number | null> = {};
  if (lexicons.length === 0) return { metrics: textMetrics(text), lexicon };
  const ws: string[] = [];
  const metrics = textMetrics(text, ws);
  for (const [metric, lex] of lexicons) lexicon[metric] = lexiconValueOfWords(lex, text, ws);
  return { metrics, lexicon };
}
