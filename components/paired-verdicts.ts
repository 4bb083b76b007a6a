"use client";
// The paired statistics of a comparison, fetched by the browser in small batches (a large run's table fills in
// progressively), and the verdicts computed from them once every batch is in: the correction runs over the whole
// table, so no verdict is shown before the family is complete. Batches the server had already computed come with
// the page (rendered without JavaScript too). The compare table and the figures share the
// batches (same query keys) and the pure verdict function of lib/compare/verdicts.ts that the exports use.
import { useQueries } from "@tanstack/react-query";
import { withQuery } from "@/lib/compare/endpoints";
import type { PairedStats } from "@/lib/compare/stats";
import { directionOf, significantBest, tableVerdicts, testedP, type CellVerdict, type Significance } from "@/lib/compare/verdicts";

const BATCH = 4;

export interface VerdictRow {
  metric: string;
  pairable: boolean;
  cells: ({ value: number | null } | null)[];
}

export type PairedState = { state: "loading" | "error" | "ok"; stats?: PairedStats; error?: string };

export interface PairedVerdicts {
  paired: (metric: string, runId: string) => PairedState;
  /** every batch answered: the verdicts below are final */
  done: boolean;
  /** a batch failed: no verdict can be given (the family is incomplete) */
  error: string | null;
  /** null until done */
  verdict: (metric: string, runId: string) => CellVerdict | null;
  best: (metric: string) => string | null;
  /** size of the corrected family, null until done */
  tests: number | null;
}

/**
 * `pairedUrl` is the comparison's paired-statistics address (lib/compare/endpoints.ts: on /compare with its
 * `runs=…&ref=…`, without the significance settings, which do not change the statistics); runIds in the table's
 * order, rows' cells in that order.
 */
export function usePairedVerdicts(
  pairedUrl: string,
  runIds: readonly string[],
  refId: string,
  rows: readonly VerdictRow[],
  significance: Significance,
  /** statistics the server already had (the page's first render): a batch they cover is not fetched */
  initial: Record<string, Record<string, PairedStats>> = {},
): PairedVerdicts {
  const pairable = rows.filter((r) => r.pairable).map((r) => r.metric);
  const batches: string[][] = [];
  for (let i = 0; i < pairable.length; i += BATCH) batches.push(pairable.slice(i, i + BATCH));
  const results = useQueries({
    queries: batches.map((metrics) => ({
      queryKey: ["paired", pairedUrl, metrics],
      staleTime: Infinity,
      initialData: metrics.every((m) => initial[m]) ? Object.fromEntries(metrics.map((m) => [m, initial[m]])) : undefined,
      queryFn: async (): Promise<Record<string, Record<string, PairedStats>>> => {
        const res = await fetch(withQuery(pairedUrl, `metrics=${metrics.map(encodeURIComponent).join(",")}`));
        if (!res.ok) throw new Error((await res.json().catch(() => ({}))).error ?? `HTTP ${res.status}`);
        return res.json();
      },
    })),
  });
  const paired = (metric: string, runId: string): PairedState => {
    const b = batches.findIndex((x) => x.includes(metric));
    if (b < 0) return { state: "ok" };
    const q = results[b];
    if (q.isError) return { state: "error", error: (q.error as Error).message };
    if (!q.data) return { state: "loading" };
    return { state: "ok", stats: q.data[metric]?.[runId] };
  };
  const failed = results.find((q) => q.isError);
  const done = !failed && results.every((q) => !!q.data);
  const refIndex = runIds.indexOf(refId);
  const others = runIds.filter((id) => id !== refId);
  const keys: { metric: string; runId: string }[] = [];
  const byKey = new Map<string, CellVerdict>();
  const best = new Map<string, string | null>();
  let tests: number | null = null;
  if (done) {
    const cells = rows.flatMap((row) =>
      others.map((runId) => {
        keys.push({ metric: row.metric, runId });
        const ref = row.cells[refIndex]?.value ?? null;
        const value = row.cells[runIds.indexOf(runId)]?.value ?? null;
        return { metric: row.metric, direction: directionOf(row.metric, ref, value), pValue: testedP(row.pairable, paired(row.metric, runId).stats) };
      }),
    );
    const out = tableVerdicts(cells, significance);
    tests = out.tests;
    keys.forEach((k, i) => byKey.set(`${k.metric}\u0000${k.runId}`, out.verdicts[i]));
    for (const row of rows)
      best.set(
        row.metric,
        significantBest(
          row.metric,
          refId,
          runIds.map((id, j) => ({ runId: id, value: row.cells[j]?.value ?? null })),
          (id) => byKey.get(`${row.metric}\u0000${id}`)?.verdict ?? null,
        ),
      );
  }
  return {
    paired,
    done,
    error: failed ? (failed.error as Error).message : null,
    verdict: (metric, runId) => (done ? (byKey.get(`${metric}\u0000${runId}`) ?? null) : null),
    best: (metric) => best.get(metric) ?? null,
    tests,
  };
}
