// Judge attributes: a registered model reads the rubric (with {prompt} and {output} filled in) and its answer is read
// as a number (./reader.ts). Requests go through the model client (lib/llm: retries, the judge endpoint's own
// concurrency limit across the process). The raw answers are kept with every score; when no answer can be read the
// score is null with the reason — never 0.
import { z } from "zod";
import type { Database } from "@/lib/db/client";
import type { Endpoint } from "@/lib/llm/endpoint";
import { generate } from "@/lib/llm/generate";
import type { OnAttempt } from "@/lib/llm/retry";
import { endpointOf } from "@/lib/models/registry";
import { AttributeError } from "./store";
import { readScore, renderRubric } from "./reader";
import type { AttributeVersionSnapshot, JudgeDefinition } from "./spec";

/** One judged output: the value (mean of the readable answers), every raw answer and, if any failed, why. */
export const judgedScoreSchema = z.object({
  value: z.number().nullable(),
  raw: z.array(z.string()),
  /** the value read from each answer, null where unreadable */
  values: z.array(z.number().nullable()),
  error: z.string().optional(),
  version: z.number().int().optional(),
});
export type JudgedScore = z.output<typeof judgedScoreSchema>;

export interface JudgeCall {
  signal?: AbortSignal;
  onAttempt?: OnAttempt;
}

/** Asks the judge about one output. Throws (LlmError) only when the request itself fails after its retries. */
export async function judgeOutput(endpoint: Endpoint, def: JudgeDefinition, prompt: string, output: string, call: JudgeCall = {}): Promise<JudgedScore> {
  const r = await generate(
    endpoint,
    { mode: "chat", prompt: renderRubric(def.rubric, prompt, output), temperature: def.temperature, max_tokens: def.maxTokens, n: def.samples },
    { signal: call.signal, onAttempt: call.onAttempt },
  );
  const raw = r.outputs.map((o) => o.text);
  const reads = raw.map((a) => readScore(def.reader, a));
  const values = reads.map((x) => ("value" in x ? x.value : null));
  const readable = values.filter((v): v is number => v !== null);
  const errors = reads.flatMap((x, i) => ("error" in x ? [`answer ${i + 1}: ${x.error}`] : []));
  const value = readable.length ? readable.reduce((s, v) => s + v, 0) / readable.length : null;
  return { value, raw, values, ...(errors.length ? { error: errors.join("; ") } : {}) };
}

/** The endpoints of the judge attributes' models, by version id; a missing or unconfigured judge is refused with its name. */
export async function judgeEndpoints(db: Database, attributes: readonly AttributeVersionSnapshot[]): Promise<Map<string, Endpoint>> {
  const out = new Map<string, Endpoint>();
  for (const a of attributes) {
    if (a.definition.kind !== "judge") continue;
    const m = await db.prisma.model.findUnique({ where: { id: a.definition.modelId } });
    if (!m) throw new AttributeError(`the judge model of attribute "${a.name}" (version ${a.version}) was deleted: add a version with another judge`);
    out.set(a.versionId, endpointOf(m));
  }
  return out;
}
