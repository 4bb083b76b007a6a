// The compare thread's code (started by ./thread.ts): runs each task it is sent, in order, and answers with the
// result or the error's message.
import { parentPort } from "node:worker_threads";
import { pairedItemStatisticsOf } from "./paired-compute";
import { pairedStats } from "./stats";
import type { CompareTask } from "./thread";

function run(task: CompareTask): unknown {
  if (task.kind === "items") return pairedItemStatisticsOf(task.items, task.refId, task.runIds, task.benchmark, task.slice);
  return Object.fromEntries(task.runIds.map((id, j) => [id, pairedStats(task.values[0] ?? [], task.values[j + 1] ?? [], task.seeds[j])]));
}

parentPort!.on("message", ({ id, task }: { id: number; task: CompareTask }) => {
  try {
    parentPort!.postMessage({ id, value: run(task) });
  } catch (e) {
    parentPort!.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
  }
});
