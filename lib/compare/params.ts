// The URL is the state of a comparison: `runs=<id>,<id>[,…]&ref=<id>` plus the side-by-side and figure choices.
// Parsed with zod in one place for the page and the routes.
import { z } from "zod";

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

export const runListSchema = z
  .string()
  .max(8 * 65)
  .transform((s) => [...new Set(s.split(",").map((x) => x.trim()).filter(Boolean))])
  .pipe(z.array(id).min(1).max(8));

export const compareQuerySchema = z.object({
  runs: runListSchema,
  ref: id.optional(),
});

export const metricIdSchema = z.string().regex(/^[a-z0-9_]+(@[A-Za-z0-9 _-]+)?$/).max(80);

export function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** `runs=…&ref=…` for links and routes. */
export function compareQuery(runIds: readonly string[], refId: string): string {
  return `runs=${runIds.map(encodeURIComponent).join(",")}&ref=${encodeURIComponent(refId)}`;
}
