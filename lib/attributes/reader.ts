// Reading a judge's answer as a number (docs/attributes.md). An answer that cannot be read is an error with the
// reason, never a 0: the score is then missing (left out of the mean) and the reason is stored with the raw answer.
import type { Reader } from "./spec";

export type ReadResult = { value: number } | { error: string };

const NUMBER = /[-+]?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?/;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A short quote of the answer for a reason. */
function quote(answer: string): string {
  const t = answer.trim().replace(/\s+/g, " ");
  return JSON.stringify(t.length > 80 ? `${t.slice(0, 77)}…` : t);
}

/** The value of a judge's answer according to the attribute's reader. */
export function readScore(reader: Reader, answer: string): ReadResult {
  if (answer.trim() === "") return { error: "the judge's answer is empty" };
  switch (reader.type) {
    case "number": {
      const m = NUMBER.exec(answer);
      if (!m) return { error: `no number in the answer ${quote(answer)}` };
      const v = Number(m[0]);
      if (!Number.isFinite(v) || v < reader.min || v > reader.max)
        return { error: `${m[0]} is outside [${reader.min}, ${reader.max}] in the answer ${quote(answer)}` };
      return { value: v };
    }
    case "labels": {
      // The label found first in the answer; at the same place the longest ("not helpful" before "helpful").
      let best: { at: number; label: string } | null = null;
      for (const label of Object.keys(reader.labels)) {
        const m = new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRegExp(label)}(?![\\p{L}\\p{N}_])`, "iu").exec(answer);
        if (m && (!best || m.index < best.at || (m.index === best.at && label.length > best.label.length))) best = { at: m.index, label };
      }
      if (!best) return { error: `none of the labels (${Object.keys(reader.labels).join(", ")}) in the answer ${quote(answer)}` };
      return { value: reader.labels[best.label] };
    }
    case "json": {
      const start = answer.indexOf("{");
      const end = answer.lastIndexOf("}");
      if (start < 0 || end < start) return { error: `no JSON object in the answer ${quote(answer)}` };
      let obj: unknown;
      try {
        obj = JSON.parse(answer.slice(start, end + 1));
      } catch {
        return { error: `the JSON object of the answer does not parse: ${quote(answer)}` };
      }
      let v: unknown = obj;
      for (const key of reader.field.split(".")) {
        v = v !== null && typeof v === "object" && !Array.isArray(v) && Object.hasOwn(v, key) ? (v as Record<string, unknown>)[key] : undefined;
        if (v === undefined) return { error: `no field ${reader.field} in the answer's JSON ${quote(answer)}` };
      }
      const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
      if (!Number.isFinite(n)) return { error: `the field ${reader.field} is not a number (${JSON.stringify(v)})` };
      return { value: n };
    }
  }
}

/** The rubric with {prompt} and {output} replaced (each once per occurrence; the texts are not re-scanned). */
export function renderRubric(rubric: string, prompt: string, output: string): string {
  return rubric.replace(/\{(prompt|output)\}/g, (_, k: string) => (k === "prompt" ? prompt : output));
}
