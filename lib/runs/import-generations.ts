// Import of existing generations: a JSON Lines file of {"prompt", "output", …} becomes a completed run whose
// textual metrics are computed here. The whole file is validated first and stored in one transaction, so a
// malformed file is rejected with the line that fails and nothing is half-imported.
import { randomUUID } from "node:crypto";
import type { Database } from "@/lib/db/client";
import { TEXT_METRIC_IDS } from "@/lib/metrics/text";
import { insertAggregates, meanAggregates } from "./aggregates";
import { insertItems } from "./runs";
import { codeVersion } from "./version";
import { findUnstorable } from "@/lib/benchmarks/text";
import { writeBatchTx } from "./item-writer";
import { errorOfKind } from "@/lib/errors";
import { measureText } from "@/lib/attributes/measure";
import type { AttributeVersionSnapshot } from "@/lib/attributes/spec";
import { withAttributeVersions } from "./steps/textual";

export class ImportFormatError extends errorOfKind("bad_input") {}

export interface Generation {
  key: string;
  sampleIndex: number;
  prompt: string;
  output: string;
  completionTokens: number | null;
}

/** Parses and validates every line; throws ImportFormatError naming the first bad line. */
export function parseGenerations(text: string, file = "generations.jsonl"): Generation[] {
  const out: Generation[] = [];
  const samples = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    const at = `${file} line ${i + 1}`;
    let rec: unknown;
    try {
      rec = JSON.parse(line);
    } catch (err) {
      throw new ImportFormatError(`${at}: not valid JSON (${(err as Error).message})`);
    }
    if (!rec || typeof rec !== "object" || Array.isArray(rec)) throw new ImportFormatError(`${at}: expected a JSON object with "prompt" and "output"`);
    const r = rec as Record<string, unknown>;
    const unstorable = findUnstorable(r);
    if (unstorable) throw new ImportFormatError(`${at}: expected text the database can store, found ${unstorable}`);
    if (typeof r.prompt !== "string") throw new ImportFormatError(`${at}: expected "prompt" to be a string`);
    if (typeof r.output !== "string") throw new ImportFormatError(`${at}: expected "output" to be a string`);
    const id = r.id;
    if (id !== undefined && typeof id !== "string" && typeof id !== "number") throw new ImportFormatError(`${at}: expected "id" to be a string or a number`);
    const tokens = r.completion_tokens;
    if (tokens !== undefined && tokens !== null && !(typeof tokens === "number" && Number.isInteger(tokens) && tokens >= 0))
      throw new ImportFormatError(`${at}: expected "completion_tokens" to be a non-negative integer`);
    // Several generations of one prompt (same id) become its samples 0, 1, …
    const key = id === undefined ? String(out.length) : String(id);
    const sampleIndex = samples.get(key) ?? 0;
    samples.set(key, sampleIndex + 1);
    out.push({ key, sampleIndex, prompt: r.prompt, output: r.output, completionTokens: (tokens as number | undefined) ?? null });
  }
  if (out.length === 0) throw new ImportFormatError(`${file}: no generations (the file is empty)`);
  return out;
}

export async function importGenerations(
  db: Database,
  modelId: string,
  generations: Generation[],
  opts: { name?: string; file?: string; seed?: number; attributes?: AttributeVersionSnapshot[] } = {},
): Promise<string> {
  const runId = randomUUID();
  const seed = opts.seed ?? 0;
  const attributes = opts.attributes ?? [];
  const other = attributes.find((a) => a.definition.kind !== "lexicon");
  if (other)
    throw new ImportFormatError(
      `attribute "${other.name}" is a ${other.definition.kind}: an import measures lexicon attributes only (profile the model to judge or classify)`,
    );
  const scores = generations.map((g) => {
    const measured = measureText(attributes, g.output);
    return { ...measured.metrics, length_tokens: g.completionTokens, ...measured.lexicon };
  });
  const byMetric: Record<string, (number | null)[]> = {};
  const order = generations
    .map((_g, i) => i)
    .sort((a, b) => {
      const ka = generations[a].key,
        kb = generations[b].key;
      return ka < kb ? -1 : ka > kb ? 1 : generations[a].sampleIndex - generations[b].sampleIndex;
    });
  for (const id of [...TEXT_METRIC_IDS, "length_tokens", ...attributes.map((a) => a.metric)])
    byMetric[id] = order.map((i) => (scores[i] as Record<string, number | null>)[id]);
  if (byMetric.length_tokens.every((v) => v === null)) delete byMetric.length_tokens;
  const aggregates = withAttributeVersions(meanAggregates(byMetric, seed), attributes);
  const suite = {
    name: opts.name ?? "imported generations",
    benchmarks: [
      {
        benchmark: "textual",
        prompts: { source: "import", name: opts.file ?? "generations.jsonl", count: generations.length },
        ...(attributes.length ? { attributes } : {}),
      },
    ],
  };
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO "Run" (id, "modelId", name, status, suite, source, "codeVersion", seed, "createdAt", "startedAt", "finishedAt")
       VALUES ($1, $2, $3, 'completed', $4::jsonb, 'import:generations', $5, $6, now(), now(), now())`,
      [runId, modelId, suite.name, JSON.stringify(suite), codeVersion(), seed],
    );
    await tx.query(
      `INSERT INTO "RunBenchmark" ("runId", benchmark, status, total, "startedAt", "finishedAt") VALUES ($1, 'textual', 'completed', $2, now(), now())`,
      [runId, generations.length],
    );
    const ids = await insertItems(
      tx,
      runId,
      "textual",
      generations.map((g) => ({ key: g.key, sampleIndex: g.sampleIndex, prompt: g.prompt, raw: g.prompt })),
      { status: "done", outputs: generations.map((g) => g.output) },
    );
    await writeBatchTx(
      tx,
      runId,
      ids.map((id, i) => ({
        id,
        status: "done" as const,
        output: generations[i].output,
        data: undefined,
        finishReason: null,
        latencyMs: null,
        promptTokens: null,
        completionTokens: generations[i].completionTokens,
        error: null,
        errorKind: null,
        attempts: 0,
        scores: scores[i],
      })),
      true,
    );
    await insertAggregates(tx, runId, "textual", aggregates);
  });
  return runId;
}
