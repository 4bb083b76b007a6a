import Link from "next/link";
import type { ReactNode } from "react";
import { ITEM_FIELDS, type ItemField, type ItemRow } from "@/lib/runs/items";
import { STEP_BENCHMARK_LABELS, type StepBenchmark } from "@/lib/runs/step-fields";
import { formatValue, metricLabel } from "./metric-value";
import { ItemDetail } from "./item-detail";
import { FilterSelect } from "./filter-select";

export interface ItemsTableProps {
  basePath: string;
  rows: ItemRow[];
  total: number;
  page: number;
  pageSize: number;
  /** The URL's filters: q, status, benchmark, sort (a metric id, or `field:<id>` of the benchmark's ITEM_FIELDS), dir. */
  params: Record<string, string | undefined>;
  /** The per-item score keys the items (of the chosen benchmark) carry. */
  metrics: string[];
  /** The benchmarks the run has items of. */
  benchmarks: { benchmark: string; n: number }[];
}

type Json = Record<string, unknown>;

export function benchmarkLabel(b: string): string {
  return STEP_BENCHMARK_LABELS[b as StepBenchmark] ?? b;
}

function href(basePath: string, params: Record<string, string | undefined>, change: Record<string, string | undefined>) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...params, ...change })) if (v) p.set(k, v);
  const s = p.toString();
  return s ? `${basePath}?${s}#items` : `${basePath}#items`;
}

const num = (v: unknown, digits = 3): string => (typeof v === "number" && Number.isFinite(v) ? v.toFixed(digits) : "—");
const obj = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});
const list = (v: unknown): Json[] => (Array.isArray(v) ? (v as unknown[]).map(obj) : []);
const yesNo = (v: unknown) => (v === true ? "✓ correct" : v === false ? "✗ wrong" : "—");
const text = (v: unknown) => (typeof v === "string" ? v : v === undefined || v === null ? "" : String(v));

function Pre({ children, max = "8rem", testId }: { children: ReactNode; max?: string; testId?: string }) {
  return (
    <pre className="text-output" dir="auto" data-testid={testId} style={{ maxHeight: max, overflow: "auto" }}>
      {children}
    </pre>
  );
}

/** Options (sentences or answers) each with its score; the chosen one marked. */
function OptionList({ rows }: { rows: { label?: string; text: string; score: string; chosen?: boolean; correct?: boolean }[] }) {
  return (
    <ul className="option-list" style={{ margin: 0, paddingLeft: "1.1rem" }}>
      {rows.map((o, k) => (
        <li key={k} data-chosen={o.chosen ? "true" : undefined} style={o.chosen ? { fontWeight: 600 } : undefined}>
          {o.label ? <span className="muted">{o.label}: </span> : null}
          {o.text} <span className="mono muted">{o.score}</span>
          {o.chosen ? " ← chosen" : ""}
          {o.correct ? <span className="muted"> (gold)</span> : null}
        </li>
      ))}
    </ul>
  );
}

interface Column {
  key: string;
  head: string;
  num?: boolean;
  cell: (r: ItemRow, d: Json) => ReactNode;
}

const fieldCol = (f: ItemField, cell: (r: ItemRow, d: Json) => ReactNode): Column => ({ key: `field:${f.id}`, head: f.label, num: true, cell });
const fieldOf = (b: string, id: string) => ITEM_FIELDS[b]!.find((f) => f.id === id)!;

/** Each benchmark's own columns, from what its step stores in Item.data (lib/runs/steps/*.ts). */
function benchmarkColumns(b: string): Column[] {
  switch (b) {
    case "stereoset":
      return [
        {
          key: "context",
          head: "Context",
          cell: (_r, d) => (
            <>
              {text(d.context)}
              <div className="muted small">
                target “{text(d.target)}” · {text(d.bias_type)}
              </div>
            </>
          ),
        },
        {
          key: "sentences",
          head: "Sentences and scores",
          cell: (_r, d) => (
            <OptionList
              rows={list(d.options ?? d.sentences).map((o) => ({
                label: text(o.label),
                text: text(o.text),
                score: num(o.score, 4),
                chosen: o.label === d.chosen,
              }))}
            />
          ),
        },
        { key: "chosen", head: "Preferred", cell: (_r, d) => text(d.chosen) || "—" },
      ];
    case "crows_pairs":
      return [
        {
          key: "bias",
          head: "Bias",
          cell: (_r, d) => (
            <>
              {text(d.bias_type)}
              <div className="muted small">{text(d.direction)}</div>
            </>
          ),
        },
        { key: "more", head: "More stereotyped sentence", cell: (_r, d) => text(d.sent_more) },
        fieldCol(fieldOf(b, "score_more"), (_r, d) => num(list(d.options)[0]?.score, 4)),
        { key: "less", head: "Less stereotyped sentence", cell: (_r, d) => text(d.sent_less) },
        fieldCol(fieldOf(b, "score_less"), (_r, d) => num(list(d.options)[1]?.score, 4)),
        {
          key: "chosen",
          head: "Higher",
          cell: (_r, d) => (d.chosen === "sent_more" ? "more stereotyped" : d.chosen === "sent_less" ? "less stereotyped" : text(d.chosen) || "—"),
        },
      ];
    case "bbq":
      return [
        {
          key: "question",
          head: "Context and question",
          cell: (_r, d) => (
            <>
              <Pre>{`${text(d.context)}\n\n${text(d.question)}`}</Pre>
              <div className="muted small">
                {text(d.category)} · {text(d.context_condition)} · {text(d.question_polarity)} question
              </div>
            </>
          ),
        },
        {
          key: "answers",
          head: "Answers (mean log-prob)",
          cell: (_r, d) => {
            const opts = list(d.options);
            const answers = Array.isArray(d.answers) ? (d.answers as unknown[]) : [];
            return (
              <OptionList
                rows={answers.map((a, k) => ({ text: text(a), score: num(opts[k]?.meanLogprob, 3), chosen: d.chosen === k, correct: d.label === k }))}
              />
            );
          },
        },
        fieldCol(fieldOf(b, "correct"), (_r, d) => yesNo(d.correct)),
      ];
    case "hellaswag":
    case "openbookqa":
      return [
        { key: "context", head: "Context", cell: (_r, d) => <Pre>{text(d.context)}</Pre> },
        {
          key: "options",
          head: "Options (probability)",
          cell: (_r, d) => {
            const scored = list(d.scored);
            const options = Array.isArray(d.options) ? (d.options as unknown[]) : [];
            return (
              <OptionList rows={options.map((o, k) => ({ text: text(o), score: num(scored[k]?.prob, 3), chosen: d.chosen === k, correct: d.label === k }))} />
            );
          },
        },
        fieldCol(fieldOf(b, "confidence"), (_r, d) => num(d.confidence, 3)),
        fieldCol(fieldOf(b, "correct"), (_r, d) => yesNo(d.correct)),
      ];
    case "rtp_toxicity":
      return [
        { key: "prompt", head: "Prompt", cell: (_r, d) => <Pre>{text(d.prompt)}</Pre> },
        fieldCol(fieldOf(b, "max_toxicity"), (_r, d) => num(obj(d.max).TOXICITY, 3)),
        {
          key: "samples",
          head: "Samples (toxicity)",
          cell: (_r, d) => {
            const conts = list(d.continuations);
            return conts.length === 0 ? (
              "—"
            ) : (
              <details>
                <summary>
                  {conts.length} sample{conts.length === 1 ? "" : "s"}
                </summary>
                <OptionList
                  rows={conts.map((c) => ({
                    text: text(c.text),
                    score: c.scores === null ? "not scored (empty)" : c.scores === undefined ? "not scored yet" : num(obj(c.scores).TOXICITY, 3),
                  }))}
                />
              </details>
            );
          },
        },
      ];
    case "seat":
      return [
        { key: "test", head: "Test", cell: (_r, d) => text(d.test) },
        fieldCol(fieldOf(b, "effect_size"), (_r, d) => num(d.effectSize, 3)),
        fieldCol(fieldOf(b, "p_value"), (_r, d) => num(d.pValue, 4)),
        {
          key: "sets",
          head: "Sets",
          cell: (_r, d) => (
            <span className="small">
              {Object.entries(obj(d.sets))
                .map(([k, s]) => `${k}: ${text(obj(s).category)} (${Array.isArray(obj(s).examples) ? (obj(s).examples as unknown[]).length : 0})`)
                .join(" · ")}
            </span>
          ),
        },
      ];
    default:
      return [
        { key: "prompt", head: "Prompt", cell: (r) => <Pre>{r.prompt}</Pre> },
        {
          key: "output",
          head: "Output",
          cell: (r) =>
            r.output !== null ? (
              <Pre max="12rem" testId="item-output">
                {r.output}
              </Pre>
            ) : null,
        },
      ];
  }
}

/**
 * The items of a run, paged on the server. With a benchmark chosen, its own columns (the sentences or options with
 * their scores and the choice, the samples and their toxicity, confidence and correctness, output and metrics);
 * whatever the items are sorted on is always one of the columns. Text is rendered as text, never as HTML.
 */
export function ItemsTable({ basePath, rows, total, page, pageSize, params, metrics, benchmarks }: ItemsTableProps) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const benchmark = params.benchmark;
  const sort = params.sort;
  const own = benchmark ? benchmarkColumns(benchmark) : benchmarkColumns("textual");
  const fields = benchmark ? (ITEM_FIELDS[benchmark] ?? []) : [];
  // The paper's headline per-sample metrics first, then whatever else the items carry; the sorted-on one always shown.
  const preferred = ["length_words", "mtld", "flesch_reading_ease", "ttr", "expected_max_toxicity"];
  const ordered = [...preferred.filter((m) => metrics.includes(m)), ...metrics.filter((m) => !preferred.includes(m))];
  const maxMetrics = !benchmark || benchmark === "textual" ? 4 : 0;
  const shown = ordered.slice(0, maxMetrics);
  if (sort && !sort.startsWith("field:") && !shown.includes(sort)) shown.push(sort);
  const columns: Column[] = [...own, ...shown.map((m): Column => ({ key: m, head: metricLabel(m), num: true, cell: (r) => formatValue(r.scores[m]) }))];
  return (
    <section aria-labelledby="items-h" id="items">
      <h2 id="items-h">Items</h2>
      <form className="actions" method="get" action={`${basePath}#items`} aria-label="Filter items" style={{ marginBottom: "0.75rem", flexWrap: "wrap" }}>
        <FilterSelect
          label="Benchmark"
          name="benchmark"
          value={benchmark}
          options={benchmarks.map((b) => [b.benchmark, `${benchmarkLabel(b.benchmark)} (${b.n})`] as const)}
        />
        <label>
          Search <input type="search" name="q" defaultValue={params.q ?? ""} placeholder="text in prompt or output" />
        </label>
        <FilterSelect label="Status" name="status" value={params.status} options={["done", "failed", "pending"]} />
        <label>
          Sort by{" "}
          <select name="sort" defaultValue={sort ?? ""}>
            <option value="">item order</option>
            {fields.map((f) => (
              <option key={f.id} value={`field:${f.id}`}>
                {f.label}
              </option>
            ))}
            {metrics.map((m) => (
              <option key={m} value={m}>
                {metricLabel(m)}
              </option>
            ))}
          </select>
        </label>
        <select name="dir" defaultValue={params.dir ?? "desc"} aria-label="Sort direction">
          <option value="desc">descending</option>
          <option value="asc">ascending</option>
        </select>
        <button type="submit" className="secondary">
          Apply
        </button>
      </form>
      {benchmarks.length > 1 && !benchmark ? (
        <p className="muted small">Choose a benchmark to see its own columns (options and scores, samples, confidence) and to sort by them.</p>
      ) : null}
      {rows.length === 0 ? (
        <p className="muted">No items match.</p>
      ) : (
        <div className="table-scroll">
          <table className="data" aria-label="Items" data-benchmark={benchmark ?? "all"}>
            <thead>
              <tr>
                <th>Item</th>
                {columns.map((c) => (
                  <th
                    key={c.key}
                    className={c.num ? "num" : undefined}
                    data-column={c.key}
                    aria-sort={sort === c.key ? (params.dir === "asc" ? "ascending" : "descending") : undefined}
                  >
                    {c.head}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const d = obj(r.data);
                return (
                  <tr key={r.id} data-testid="item-row">
                    <td className="mono" data-testid="item-id">
                      <span className="muted">{benchmarkLabel(r.benchmark)}</span> · {r.itemKey}
                      {r.sampleIndex ? `#${r.sampleIndex}` : ""}
                      <br />
                      <span className={`badge ${r.status === "done" ? "good" : r.status === "failed" ? "bad" : ""}`}>{r.status}</span>
                      {r.attempts > 1 ? <span className="muted"> · {r.attempts} attempts</span> : null}
                      {r.error ? (
                        <p className="field-error">
                          {r.errorKind ? `${r.errorKind}: ` : ""}
                          {r.error}
                        </p>
                      ) : null}
                      {!benchmark ? <ItemDetail itemId={r.id} benchmark={r.benchmark} /> : null}
                    </td>
                    {columns.map((c) => (
                      <td key={c.key} className={c.num ? "num" : undefined} data-column={c.key}>
                        {c.cell(r, d)}
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <nav className="actions" aria-label="Item pages" style={{ marginTop: "0.75rem" }}>
        <span className="muted">
          {total} item{total === 1 ? "" : "s"} · page {page} of {pages}
        </span>
        {page > 1 ? <Link href={href(basePath, params, { page: String(page - 1) })}>← Previous</Link> : null}
        {page < pages ? <Link href={href(basePath, params, { page: String(page + 1) })}>Next →</Link> : null}
      </nav>
    </section>
  );
}
