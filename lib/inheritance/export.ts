// Export of a selection for fine-tuning, as JSON Lines in prompt order:
// - chat:              {"messages": [{"role": "user", "content": P}, {"role": "assistant", "content": O}]} (OpenAI)
// - alpaca:            {"instruction": I, "input": X, "output": O}
// - prompt-completion: {"prompt": P, "completion": O} — the paper toolkit's distillation format (its
//                      DistillationDataset requires exactly these two fields and applies its own prompt template at
//                      training time, so P is the untemplated prompt).
// P is the instruction, followed by a blank line and the Alpaca input when there is one. Plus all candidates with
// their scores, and a Markdown dataset card with the provenance.
import type { Database } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { formatPctOnScreen, formatShare } from "@/lib/export/format";
import { getMetric } from "@/lib/metrics/catalogue";
import { candidateCounts } from "./datasets";
import { joinInstruction } from "./spec";
import { readDatasetSettings } from "./spec";
import type { SelectionReport } from "./report";

export const EXPORT_FORMATS = ["chat", "alpaca", "prompt-completion"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(v: unknown): v is ExportFormat {
  return typeof v === "string" && (EXPORT_FORMATS as readonly string[]).includes(v);
}

export interface SelectedRecord {
  promptIndex: number;
  prompt: string;
  input: string;
  output: string;
  teacher: string;
  sampleIndex: number;
}

/** Prompts per page of an export: memory holds one page (k × teachers candidates per prompt), whatever the size.
 * (200,000 candidates: 1,000 per page peaked 365 MB above opening, 200 per page 159 MB, all at once 990 MB.) */
const PAGE_PROMPTS = 200;

/** The dataset's prompt indexes in ranges [lo, hi) of `size` prompts, in order. */
async function* promptRanges(db: Database, datasetId: string, size: number): AsyncGenerator<[number, number]> {
  const { rows } = await db.sql.query<{ lo: number | null; hi: number | null }>(
    `SELECT min(index) AS lo, max(index) AS hi FROM "DatasetPrompt" WHERE "datasetId" = $1`,
    [datasetId],
  );
  const { lo, hi } = rows[0] ?? { lo: null, hi: null };
  if (lo === null || hi === null) return;
  for (let from = Number(lo); from <= Number(hi); from += size) yield [from, from + size];
  // Pages are separate queries (one transaction would hold the embedded database's thread for the whole download): a
  // dataset deleted meanwhile must end the export with an error, not a complete-looking short file.
  const { rows: still } = await db.sql.query(`SELECT 1 FROM "Dataset" WHERE id = $1`, [datasetId]);
  if (!still.length) throw notFound(`dataset ${datasetId} was deleted during the export`);
}

/** The selected candidates of prompts [lo, hi), in prompt order. */
async function selectedPage(db: Database, selectionId: string, datasetId: string, lo: number, hi: number): Promise<SelectedRecord[]> {
  const { rows } = await db.sql.query<{ promptIndex: number; prompt: string; input: string; output: string | null; teacher: string; sampleIndex: number }>(
    `SELECT p.index AS "promptIndex", p.prompt, p.input, c.output, m.name AS teacher, c."sampleIndex"
     FROM "DatasetPrompt" p JOIN "SelectionItem" si ON si."selectionId" = $1 AND si."promptId" = p.id
       JOIN "Candidate" c ON c.id = si."candidateId" JOIN "Model" m ON m.id = c."teacherId"
     WHERE p."datasetId" = $2 AND p.index >= $3 AND p.index < $4 ORDER BY p.index`,
    [selectionId, datasetId, lo, hi],
  );
  return rows.map((r) => ({ ...r, promptIndex: Number(r.promptIndex), sampleIndex: Number(r.sampleIndex), output: r.output ?? "" }));
}

export function formatRecord(r: Pick<SelectedRecord, "prompt" | "input" | "output">, format: ExportFormat): string {
  switch (format) {
    case "chat":
      return JSON.stringify({
        messages: [
          { role: "user", content: joinInstruction(r) },
          { role: "assistant", content: r.output },
        ],
      });
    case "alpaca":
      return JSON.stringify({ instruction: r.prompt, input: r.input, output: r.output });
    case "prompt-completion":
      return JSON.stringify({ prompt: joinInstruction(r), completion: r.output });
  }
}

/** A selection as JSON Lines in `format`, one chunk of lines per page of prompts (pages: for tests). */
export async function* selectionLines(db: Database, selectionId: string, format: ExportFormat, pagePrompts = PAGE_PROMPTS): AsyncGenerator<string> {
  const sel = await db.prisma.selection.findUniqueOrThrow({ where: { id: selectionId }, select: { datasetId: true } });
  for await (const [lo, hi] of promptRanges(db, sel.datasetId, pagePrompts)) {
    const records = await selectedPage(db, selectionId, sel.datasetId, lo, hi);
    if (records.length) yield records.map((r) => formatRecord(r, format) + "\n").join("");
  }
}

/** Every completed candidate with its teacher, sample index, generation metadata, scores and whether it was selected,
 * as JSON Lines: one chunk per page of prompts, so that a dataset of a million candidates exports in bounded memory. */
export async function* candidateLines(db: Database, datasetId: string, selectionId: string | null, pagePrompts = PAGE_PROMPTS): AsyncGenerator<string> {
  for await (const [lo, hi] of promptRanges(db, datasetId, pagePrompts)) {
    const { rows } = await db.sql.query<{
      promptIndex: number;
      prompt: string;
      input: string;
      teacher: string;
      sampleIndex: number;
      output: string | null;
      finishReason: string | null;
      scores: unknown;
      latencyMs: number | null;
      completionTokens: number | null;
      attempts: number;
      selected: boolean;
    }>(
      `SELECT p.index AS "promptIndex", p.prompt, p.input, m.name AS teacher, c."sampleIndex", c.output, c."finishReason", c.scores,
         c."latencyMs", c."completionTokens", c.attempts,
         EXISTS (SELECT 1 FROM "SelectionItem" si WHERE si."selectionId" = $2 AND si."promptId" = p.id AND si."candidateId" = c.id) AS selected
       FROM "DatasetPrompt" p JOIN "Candidate" c ON c."datasetId" = p."datasetId" AND c."promptId" = p.id JOIN "Model" m ON m.id = c."teacherId"
       WHERE p."datasetId" = $1 AND p.index >= $3 AND p.index < $4 AND c.status = 'done'
       ORDER BY p.index, m.name COLLATE "C", c."sampleIndex"`,
      [datasetId, selectionId ?? "", lo, hi],
    );
    if (!rows.length) continue;
    yield rows
      .map(
        (r) =>
          JSON.stringify({
            prompt_index: Number(r.promptIndex),
            prompt: r.prompt,
            input: r.input,
            teacher: r.teacher,
            sample_index: Number(r.sampleIndex),
            output: r.output ?? "",
            finish_reason: r.finishReason,
            scores: r.scores ?? {},
            latency_ms: r.latencyMs,
            completion_tokens: r.completionTokens,
            attempts: r.attempts,
            selected: r.selected,
          }) + "\n",
      )
      .join("");
  }
}

const fmt = (v: number | null, digits = 4) => (v === null ? "—" : Number(v.toPrecision(digits)).toString());

/** "maximise", "minimise" or "closest to <value>". */
export function directionWords(s: { direction: string | null; targetValue: number | null }): string {
  return s.direction === "min" ? "minimise" : s.direction === "closest" ? `closest to ${s.targetValue}` : "maximise";
}

/** A Markdown dataset card: what was built, from what, how, and what the selection did. */
export async function datasetCard(db: Database, datasetId: string, report: SelectionReport | null): Promise<string> {
  const ds = await db.prisma.dataset.findUniqueOrThrow({
    where: { id: datasetId },
    include: { teachers: { include: { teacher: { select: { name: true, servedModelId: true, baseUrl: true } } } } },
  });
  const counts = [...(await candidateCounts(db, datasetId)).values()];
  const of = (s: "done" | "failed" | "pending") => counts.reduce((a, c) => a + c[s], 0);
  const { promptSet: ps, decoding: dec, filters } = readDatasetSettings(ds);
  const teachers = ds.teachers.map((t) => t.teacher).sort((a, b) => (a.name < b.name ? -1 : 1));
  const metric = report ? getMetric(report.target) : undefined;
  const lines = [
    `# ${ds.name}`,
    "",
    report?.rule === "random"
      ? "Passive-inheritance dataset: one candidate per prompt drawn at random with the seed (no target)."
      : `Active-inheritance dataset (LLM See, LLM Do, arXiv 2407.01490): best of k candidates per prompt by a target metric.`,
    "",
    "## Provenance",
    "",
    `- Dataset id: ${ds.id}`,
    `- Prompt set: ${ps.name} (${ps.source}${ps.split ? `, split ${ps.split}` : ""}${ps.limit ? `, first ${ps.limit}` : ""}), ${ps.count} prompts${ps.sha256 ? `, sha256 ${ps.sha256}` : ""}`,
    `- Teachers (${teachers.length}, ${teachers.length > 1 ? "multi-source" : "single-source"}): ${teachers.map((t) => `${t.name} (${t.servedModelId ?? "?"})`).join(", ")}`,
    `- k (candidates per prompt per teacher): ${ds.k}`,
    `- Request: ${ds.mode === "completion" ? "completions" : "chat completions"}, template ${JSON.stringify(ds.template)}`,
    `- Decoding: temperature ${dec.temperature}, top_p ${dec.top_p}, max_tokens ${dec.max_tokens}, seed ${dec.seed}; sample i of a prompt uses seed + i`,
    `- Selection: ${report ? (report.rule === "best" ? `best of k, ${directionWords(report)} ${report.target}${report.attribute ? ` (${report.attribute.name})` : metric ? ` (${metric.label})` : ""}` : `random pick (passive baseline)${report.target ? `, reported on ${report.target}` : ""}`) : "none yet"}`,
    ...(report?.attribute
      ? [
          `- Attribute: ${report.attribute.name}, version ${report.attribute.version} (${report.attribute.metric}, version id ${report.attribute.versionId}); scored by ${report.attribute.scoredBy}`,
          `- Attribute scores: cached per candidate and attribute version; ${report.unscored} candidate(s) without a readable score (left out, never counted as 0)`,
        ]
      : []),
    `- Ties: lowest teacher name, then lowest sample index${report?.direction === "closest" ? " (equal distances on either side of the target value included)" : ""}`,
    ...(dec.scorer ? [`- Toxicity scorer: ${dec.scorer.name} (${dec.scorer.kind})`] : []),
    `- Filters: ${[filters.dropEmpty !== false ? "drop empty" : null, filters.dropTruncated ? "drop truncated (finish_reason length)" : null, filters.minWords ? `at least ${filters.minWords} words` : null].filter(Boolean).join(", ") || "none"}`,
    `- Seed: ${ds.seed}`,
    `- Code version: ${ds.codeVersion || "unknown"}`,
    `- Created: ${ds.createdAt.toISOString()}${ds.finishedAt ? `, finished ${ds.finishedAt.toISOString()}` : ""}`,
    "",
    "## Counts",
    "",
    `- Prompts: ${ps.count}`,
    `- Candidates: ${of("done") + of("failed") + of("pending")} (${of("done")} generated, ${of("failed")} failed, ${of("pending")} pending)`,
    `- Selected: ${report ? report.selected.count : 0}`,
  ];
  if (report) {
    lines.push(
      "",
      `## Effect of the selection on ${report.target}`,
      "",
      "| set | n | mean | 95 % CI |",
      "|---|---|---|---|",
      `| all candidates | ${report.all.n} | ${fmt(report.all.mean)} | ${fmt(report.all.lo)} – ${fmt(report.all.hi)} |`,
      `| random pick (passive) | ${report.random.n} | ${fmt(report.random.mean)} | ${fmt(report.random.lo)} – ${fmt(report.random.hi)} |`,
      `| selected | ${report.selected.n} | ${fmt(report.selected.mean)} | ${fmt(report.selected.lo)} – ${fmt(report.selected.hi)} |`,
      "",
      `% change of the selected mean vs the random pick: ${formatPctOnScreen(report.changeVsRandom)}`,
      "",
      "Teachers among the selected: " + report.teacherShare.map((t) => `${t.teacher} ${formatShare(t.share)} (${t.selected})`).join(", "),
    );
  }
  lines.push(
    "",
    "## Formats",
    "",
    "JSON Lines in prompt order: `chat` (OpenAI `messages`), `alpaca` (`instruction`/`input`/`output`), `prompt-completion`",
    "(`prompt`/`completion`, the paper toolkit's distillation format). Prompts are untemplated.",
    "",
  );
  return lines.join("\n");
}
