// Toxicity scorers configured in the UI (the Scorer table): validation, persistence, the public view (never the
// key: only the last four characters of a long one), and a test call.
import { z } from "zod";
import { encryptSecret, keyVariableNameError, last4, shownLast4 } from "@/lib/credentials";
import type { Database } from "@/lib/db/client";
import { fieldErrorsFromZod, type ActionResult } from "@/lib/forms";
import { createScorer, DEFAULT_SCORER_URLS, scorerFromRow } from "./config";
import { SCORER_KINDS } from "./types";

const text = (max: number) => z.preprocess((v) => (typeof v === "string" ? v.trim() : ""), z.string().max(max, `At most ${max} characters.`));

export const scorerInputSchema = z
  .object({
    name: text(80).pipe(z.string().min(1, "Give the scorer a name.")),
    kind: z.enum(SCORER_KINDS, { message: "Choose Perspective, moderation or HTTP classifier." }),
    url: text(500),
    qps: z.coerce.number({ message: "Enter a number." }).gt(0, "Above 0.").max(1000, "At most 1000."),
    credentialMode: z.enum(["none", "env", "secret"]).default("none"),
    apiKeyEnv: text(100),
    apiKeySecret: z.preprocess((v) => (typeof v === "string" ? v.trim() : ""), z.string().max(4096)),
    model: text(200),
    label: text(100),
  })
  .superRefine((v, ctx) => {
    const url = v.url || DEFAULT_SCORER_URLS[v.kind];
    if (!url) ctx.addIssue({ code: "custom", path: ["url"], message: "An HTTP classifier needs its URL." });
    else if (!/^https?:\/\/[^\s/]+/.test(url)) ctx.addIssue({ code: "custom", path: ["url"], message: "Enter an http:// or https:// URL." });
    const nameError = v.credentialMode === "env" ? keyVariableNameError(v.apiKeyEnv, "PERSPECTIVE_API_KEY") : null;
    if (nameError) ctx.addIssue({ code: "custom", path: ["apiKeyEnv"], message: nameError });
    if (v.credentialMode === "secret" && !v.apiKeySecret) ctx.addIssue({ code: "custom", path: ["apiKeySecret"], message: "Paste the API key." });
  });

export interface PublicScorer {
  id: string;
  name: string;
  kind: string;
  url: string;
  qps: number;
  credential: string;
  options: unknown;
}

function storedKeyLabel(last4: string): string {
  return last4 ? `stored key …${last4}` : "stored key (short: none of it is shown)";
}

export async function listScorers(db: Database): Promise<PublicScorer[]> {
  const rows = await db.prisma.scorer.findMany({ orderBy: { name: "asc" } });
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    url: r.url,
    qps: r.qps,
    credential: r.apiKeyCipher ? storedKeyLabel(shownLast4(r.apiKeyLast4)) : r.apiKeyEnv ? `$${r.apiKeyEnv}` : "none",
    options: r.options,
  }));
}

export async function saveScorer(db: Database, raw: unknown): Promise<ActionResult<{ id: string }>> {
  const parsed = scorerInputSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsFromZod(parsed.error) };
  const v = parsed.data;
  if (await db.prisma.scorer.findUnique({ where: { name: v.name } })) return { ok: false, fieldErrors: { name: "A scorer with this name exists." } };
  const row = await db.prisma.scorer.create({
    data: {
      name: v.name,
      kind: v.kind,
      url: v.url || DEFAULT_SCORER_URLS[v.kind]!,
      qps: v.qps,
      apiKeyEnv: v.credentialMode === "env" ? v.apiKeyEnv : null,
      apiKeyCipher: v.credentialMode === "secret" ? encryptSecret(v.apiKeySecret) : null,
      apiKeyLast4: v.credentialMode === "secret" ? last4(v.apiKeySecret) : null,
      options: { ...(v.model ? { model: v.model } : {}), ...(v.label ? { label: v.label } : {}) },
    },
  });
  return { ok: true, data: { id: row.id } };
}

export async function deleteScorer(db: Database, id: string): Promise<void> {
  await db.prisma.scorer.delete({ where: { id } }).catch(() => undefined);
}

/** Scores one harmless and one insulting sentence: proves the URL, the key and the answer format. */
export async function testScorer(db: Database, id: string): Promise<{ ok: boolean; message: string }> {
  const row = await db.prisma.scorer.findUnique({ where: { id } });
  if (!row) return { ok: false, message: "This scorer no longer exists." };
  try {
    const scorer = createScorer(scorerFromRow(row), row.apiKeyCipher);
    const calm = await scorer.score("Thank you for your help, have a lovely day.");
    const rude = await scorer.score("You are a stupid idiot.");
    return { ok: true, message: `TOXICITY ${calm?.TOXICITY?.toFixed(3)} for a polite sentence, ${rude?.TOXICITY?.toFixed(3)} for an insult.` };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}

/** The Scorer row of that name, or null. */
export async function findScorerByName(db: Database, name: string) {
  return db.prisma.scorer.findUnique({ where: { name } });
}

/** The first Scorer row configured (the default of datasets when LINEAGE_SCORER is unset), or null. */
export async function firstConfiguredScorer(db: Database) {
  return db.prisma.scorer.findFirst({ orderBy: { createdAt: "asc" } });
}

/** The encrypted key stored on a Scorer row, or null (no row, or a key read from a variable). */
export async function scorerKeyCipher(db: Database, scorerId: string): Promise<string | null> {
  return (await db.prisma.scorer.findUnique({ where: { id: scorerId }, select: { apiKeyCipher: true } }))?.apiKeyCipher ?? null;
}
