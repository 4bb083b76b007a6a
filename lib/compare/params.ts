// The URL is the state of a comparison: `runs=<id>,<id>[,…]&ref=<id>` plus the significance settings
// (`alpha`, `correction`), the lineage it was laid out from (`lineage` or `base`) and the side-by-side and figure
// choices. Parsed with zod in one place for the page and the routes.
import { z } from "zod";
import { CORRECTIONS } from "@/lib/metrics/multiple-comparisons";
import { DEFAULT_SIGNIFICANCE, type Significance } from "./verdicts";

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

export const runListSchema = z
  .string()
  .max(8 * 65)
  .transform((s) => [
    ...new Set(
      s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  ])
  .pipe(z.array(id).min(1).max(8));

/** α in (0, 0.5] and the correction across the table; absent or empty means the default (0.05, Holm). */
export const significanceSchema = z.object({
  alpha: z.preprocess(
    (v) => (v === undefined || v === null || v === "" ? DEFAULT_SIGNIFICANCE.alpha : typeof v === "string" ? Number(v.trim()) : v),
    z
      .number({ message: "alpha must be a number between 0 and 0.5" })
      .refine((x) => Number.isFinite(x) && x > 0 && x <= 0.5, "alpha must be a number between 0 and 0.5 (e.g. 0.05)"),
  ),
  correction: z.preprocess(
    (v) => (v === undefined || v === null || v === "" ? DEFAULT_SIGNIFICANCE.correction : v),
    z.enum(["holm", "bh", "none"], { message: `correction must be one of ${CORRECTIONS.join(", ")}` }),
  ),
});

/** The settings of a URL, or the defaults with the reason when the URL's are invalid. */
export function parseSignificance(raw: { alpha?: unknown; correction?: unknown }): { significance: Significance; error: string | null } {
  const parsed = significanceSchema.safeParse({ alpha: raw.alpha, correction: raw.correction });
  if (parsed.success) return { significance: parsed.data satisfies Significance, error: null };
  return { significance: DEFAULT_SIGNIFICANCE, error: parsed.error.issues.map((i) => i.message).join("; ") };
}

/** Which lineage a comparison was laid out from: its roles come from that derivation (or that base's). */
export type LineageContext = { derivationId: string } | { baseModelId: string };

export const compareQuerySchema = z.object({
  runs: runListSchema,
  ref: id.optional(),
  lineage: id.optional(),
  base: id.optional(),
});

export const metricIdSchema = z
  .string()
  .regex(/^[a-z0-9_]+(@[A-Za-z0-9 _-]+)?$/)
  .max(80);

export function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export function lineageContextOf(q: { lineage?: string; base?: string }): LineageContext | null {
  if (q.lineage && id.safeParse(q.lineage).success) return { derivationId: q.lineage };
  if (q.base && id.safeParse(q.base).success) return { baseModelId: q.base };
  return null;
}

export interface CompareQueryOptions {
  significance?: Significance;
  lineage?: LineageContext | null;
}

/** `runs=…&ref=…` for links and routes, with the significance settings when they differ from the defaults. */
export function compareQuery(runIds: readonly string[], refId: string, opts: CompareQueryOptions = {}): string {
  let q = `runs=${runIds.map(encodeURIComponent).join(",")}&ref=${encodeURIComponent(refId)}`;
  const l = opts.lineage;
  if (l) q += "derivationId" in l ? `&lineage=${encodeURIComponent(l.derivationId)}` : `&base=${encodeURIComponent(l.baseModelId)}`;
  const s = opts.significance;
  if (s && s.alpha !== DEFAULT_SIGNIFICANCE.alpha) q += `&alpha=${s.alpha}`;
  if (s && s.correction !== DEFAULT_SIGNIFICANCE.correction) q += `&correction=${s.correction}`;
  return q;
}
