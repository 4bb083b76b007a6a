// A text-metrics thread (started by ./text-metrics.ts for large inputs): turns each batch of input lines into their
// output lines, in order. A bad line ends the batch: what came before it is sent with the line's message.
import { parentPort } from "node:worker_threads";
import { isLineageError } from "@/lib/errors";
import { processLine } from "./text-metrics";

export interface LineBatch {
  id: number;
  /** The line number of lines[0]. */
  first: number;
  lines: string[];
}

export interface BatchResult {
  id: number;
  out: string;
  records: number;
  /** A UsageError's message for the line that stopped the batch. */
  usageError?: string;
  /** Any other failure. */
  error?: string;
}

parentPort?.on("message", ({ id, first, lines }: LineBatch) => {
  let out = "";
  let records = 0;
  try {
    for (let i = 0; i < lines.length; i++) {
      const line = processLine(lines[i], first + i);
      if (line !== null) {
        out += line;
        records++;
      }
    }
    parentPort!.postMessage({ id, out, records } satisfies BatchResult);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const usage = isLineageError(e, "bad_input");
    parentPort!.postMessage({ id, out, records, ...(usage ? { usageError: message } : { error: message }) } satisfies BatchResult);
  }
});
