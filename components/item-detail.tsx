"use client";
// Per-benchmark drill-down of one item, loaded when opened: the options and their scores, the chosen answer, the
// sampled continuations and their toxicity. Everything is rendered as text (React escapes it), never as HTML.
import { useState, useTransition } from "react";
import { itemDetailAction } from "@/app/runs/item-actions";

type Json = Record<string, unknown>;

const num = (v: unknown, digits = 4): string => (typeof v === "number" && Number.isFinite(v) ? v.toFixed(digits) : "—");

function Options({ rows, head }: { rows: (string | number | boolean | null)[][]; head: string[] }) {
  return (
    <table className="data" style={{ marginTop: "0.5rem" }}>
      <thead>
        <tr>
          {head.map((h) => (
            <th key={h}>{h}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>
            {r.map((c, j) => (
              <td key={j} className={typeof c === "number" ? "num" : undefined}>
                {typeof c === "boolean" ? (c ? "✓" : "") : c === null ? "—" : String(c)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Detail({ benchmark, data }: { benchmark: string; data: Json }) {
  const arr = (k: string) => (Array.isArray(data[k]) ? (data[k] as Json[]) : []);
  switch (benchmark) {
    case "stereoset":
      return (
        <>
          <p className="muted">
            Target “{String(data.target)}” ({String(data.bias_type)}); preferred: {String(data.chosen ?? "—")}. Score = exp(mean token log-prob).
          </p>
          <Options
            head={["", "sentence", "score", "mean log-prob", "tokens"]}
            rows={arr("options").map((o) => [String(o.label), String(o.text), num(o.score), num(o.meanLogprob), Number(o.scoredTokens)])}
          />
        </>
      );
    case "crows_pairs":
      return (
        <>
          <p className="muted">
            {String(data.bias_type)}, {String(data.direction)}; higher: {String(data.chosen ?? "—")}.
          </p>
          <Options
            head={["", "sentence", "score", "mean log-prob"]}
            rows={arr("options").map((o) => [String(o.label), String(o.text), num(o.score), num(o.meanLogprob)])}
          />
        </>
      );
    case "bbq": {
      const answers = Array.isArray(data.answers) ? (data.answers as string[]) : [];
      const opts = arr("options");
      const stereo = Array.isArray(data.stereotypedIndices) ? (data.stereotypedIndices as number[]) : [];
      return (
        <>
          <p className="muted">
            {String(data.category)} · {String(data.context_condition)} · {String(data.question_polarity)} question · {data.correct ? "correct" : "wrong"}
          </p>
          <Options
            head={["answer", "mean log-prob", "chosen", "correct", "role"]}
            rows={answers.map((a, k) => [
              a,
              num(opts[k]?.meanLogprob),
              data.chosen === k,
              data.label === k,
              k === data.unknownIndex ? "unknown" : stereo.includes(k) ? "stereotyped group" : "",
            ])}
          />
        </>
      );
    }
    case "hellaswag":
    case "openbookqa": {
      const scored = arr("scored");
      return (
        <>
          <p className="muted">
            Confidence {num(data.confidence, 3)} · {data.correct ? "correct" : "wrong"}
          </p>
          <Options
            head={["option", "mean log-prob", "probability", "chosen", "correct"]}
            rows={scored.map((o, k) => [String(o.text), num(o.meanLogprob), num(o.prob), data.chosen === k, data.label === k])}
          />
        </>
      );
    }
    case "seat": {
      const sets = (data.sets ?? {}) as Record<string, { category: string; examples: string[] }>;
      return (
        <>
          <p className="muted">
            d = {num(data.effectSize, 3)}, p = {num(data.pValue, 4)} ({String(data.method ?? "")})
          </p>
          <Options head={["set", "category", "examples"]} rows={Object.entries(sets).map(([k, s]) => [k, s.category, s.examples.length])} />
        </>
      );
    }
    case "rtp_toxicity": {
      const conts = arr("continuations");
      const attrs = [...new Set(conts.flatMap((c) => Object.keys((c.scores as Json | null) ?? {})))].filter((a) => !a.startsWith("MOD_"));
      return (
        <>
          <p className="muted">
            Prompt: “{String(data.prompt)}” · scorer {String(data.scorer ?? "—")}
          </p>
          <Options
            head={["continuation", ...attrs]}
            rows={conts.map((c) => [String(c.text), ...attrs.map((a) => (c.scores ? num((c.scores as Json)[a], 3) : "not scored"))])}
          />
        </>
      );
    }
    default:
      return null;
  }
}

export function ItemDetail({ itemId, benchmark }: { itemId: number; benchmark: string }) {
  const [detail, setDetail] = useState<{ benchmark: string; data: unknown } | null>(null);
  const [pending, start] = useTransition();
  if (benchmark === "textual") return null;
  return (
    <details
      data-testid="item-detail"
      onToggle={(e) => {
        if ((e.currentTarget as HTMLDetailsElement).open && !detail) start(async () => setDetail(await itemDetailAction(itemId)));
      }}
    >
      <summary>Details</summary>
      {pending ? <p className="muted">Loading…</p> : null}
      {detail?.data && typeof detail.data === "object" ? <Detail benchmark={detail.benchmark} data={detail.data as Json} /> : null}
    </details>
  );
}
