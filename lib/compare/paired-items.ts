// Benchmark-level metrics of several runs on the items they share: each run's completed items of the benchmark are
// loaded, matched to the reference's by (item key, sample index), turned into the step's statistic units and
// compared with a paired bootstrap over items and a swap-permutation test (METRICS.md §5). The query runs here; the
// matching and resampling (seconds on a full BBQ or HellaSwag) run on the compare thread (./thread.ts), so that the
// web process keeps answering other requests meanwhile.
import type { Database } from "@/lib/db/client";
import { statisticOrThrow, type ItemColumns } from "./paired-compute";
import type { PairedStats } from "./stats";
import { onCompareThread } from "./thread";

type ItemRow = { itemKey: string; sampleIndex: number; data: string };

/** Items per statement: ~0.1 s of the embedded database at a time on a busy machine. */
const ITEM_PAGE = 2000;

/**
 * Paired statistics of every benchmark-level metric of `benchmark` (of one slice, e.g. a StereoSet domain, when
 * `slice` is given) for each of `runIds` against `refId`, keyed by metric id (with the slice) then run. One pass per
 * run computes all the metrics. A run without a shared completed item gets n = 0. Items are in (item key, sample
 * index) code-point order and the seed names the runs, benchmark and slice, so results are reproducible.
 */
export async function pairedItemStatistics(
  db: Database,
  refId: string,
  runIds: readonly string[],
  benchmark: string,
  slice: string | null,
): Promise<Record<string, Record<string, PairedStats>>> {
  statisticOrThrow(benchmark, slice);
  const items: ItemColumns = { runId: [], itemKey: [], sampleIndex: [], data: [] };
  // Page by page along the (run, benchmark, item key, sample index) index: one statement over 100,000 items holds the
  // embedded database's only thread for seconds, and every other page of the dashboard waits behind it. The pages
  // come in the database's collation; the thread puts the items in code-point order.
  for (const runId of new Set([refId, ...runIds])) {
    let after: [string, number] | null = null;
    for (;;) {
      const { rows }: { rows: ItemRow[] } = await db.sql.query<ItemRow>(
        `SELECT "itemKey", "sampleIndex", data::text AS data FROM "Item"
         WHERE "runId" = $1 AND benchmark = $2 AND status = 'done' ${after ? `AND ("itemKey", "sampleIndex") > ($4, $5)` : ""}
         ORDER BY "itemKey", "sampleIndex" LIMIT $3`,
        after ? [runId, benchmark, ITEM_PAGE, ...after] : [runId, benchmark, ITEM_PAGE],
      );
      for (const r of rows) {
        items.runId.push(runId);
        items.itemKey.push(r.itemKey);
        items.sampleIndex.push(r.sampleIndex);
        items.data.push(r.data);
      }
      if (rows.length < ITEM_PAGE) break;
      const last: ItemRow = rows[rows.length - 1];
      after = [last.itemKey, last.sampleIndex];
    }
  }
  return onCompareThread({ kind: "items", items, refId, runIds: [...runIds], benchmark, slice });
}
