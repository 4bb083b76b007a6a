/**
 * `lineage text-metrics [--in FILE] [--out FILE]`: textual metrics of JSON Lines.
 *
 * Reads `{"id": string, "text": string}` per line (stdin by default) and writes, per input line, one
 * line `{"id": …, "<metric id>": number | null, …}` with every textual metric of METRICS.md §1 but
 * `length_tokens` (stdout by default). Blank lines are skipped (line numbers still count them). It
 * streams: the input is pulled chunk by chunk through async iteration, so a slow reader slows the
 * writer and memory stays flat whatever the input size.
 */
import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { TEXT_METRIC_IDS, textMetrics } from "@/lib/metrics/text";
import { sourceWorker } from "@/lib/worker-thread";
import { intOption } from "./args";
import { UsageError } from "./io";
import type { Action } from "./program";
import type { BatchResult, LineBatch } from "./text-metrics-thread";

async function openInput(path: string): Promise<Readable> {
  const stream = createReadStream(path);
  try {
    await once(stream, "open");
  } catch (err) {
    throw new UsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return stream;
}

async function openOutput(path: string): Promise<Writable> {
  const stream = createWriteStream(path);
  try {
    await once(stream, "open");
  } catch (err) {
    throw new UsageError(`cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return stream;
}

// Output keys, pre-serialised once.
const KEY_PREFIXES = TEXT_METRIC_IDS.map((id) => `,${JSON.stringify(id)}:`);

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** The output line for one input line, or null for a blank line. */
export function processLine(line: string, lineNumber: number): string | null {
  if (line.endsWith("\r")) line = line.slice(0, -1);
  if (lineNumber === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
  if (line.trim() === "") return null;
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch (err) {
    throw new UsageError(`line ${lineNumber}: invalid JSON (${(err as Error).message})`);
  }
  if (typeof record !== "object" || record === null || Array.isArray(record))
    throw new UsageError(`line ${lineNumber}: expected an object {"id": string, "text": string}, got ${kindOf(record)}`);
  const { id, text } = record as { id?: unknown; text?: unknown };
  if (typeof id !== "string") throw new UsageError(`line ${lineNumber}: "id" must be a string, got ${id === undefined ? "nothing" : kindOf(id)}`);
  if (typeof text !== "string") throw new UsageError(`line ${lineNumber}: "text" must be a string, got ${text === undefined ? "nothing" : kindOf(text)}`);
  const metrics = textMetrics(text);
  let out = `{"id":${JSON.stringify(id)}`;
  for (let k = 0; k < TEXT_METRIC_IDS.length; k++) {
    const value = metrics[TEXT_METRIC_IDS[k]];
    out += KEY_PREFIXES[k] + (value === null ? "null" : String(value));
  }
  return out + "}\n";
}

async function write(output: Writable, data: string): Promise<void> {
  if (data !== "" && !output.write(data)) await once(output, "drain");
}

export interface StreamOptions {
  /** Threads computing the metrics (default: one per core, at most 4); 1 computes them on this thread. */
  threads?: number;
  /** Lines per batch sent to a thread. */
  batchLines?: number;
}

/** A thread of ./text-metrics-thread: the bundled entry beside the CLI's bundle, or the TypeScript source. */
function metricsThread(): Worker {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith(".ts")) return sourceWorker(path.join(path.dirname(here), "text-metrics-thread.ts"));
  // A batch needs little memory: a small heap keeps each thread's garbage from piling up before a collection.
  return new Worker(new URL("./text-metrics-thread.js", import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8 } });
}

/** The threads and the batches sent to them, round robin; a small input never pays a thread's start (~0.1 s). */
class BatchPool {
  private readonly workers: Worker[] = [];
  private readonly waiting = new Map<number, { resolve(r: BatchResult): void; reject(e: Error): void }>();
  private next = 0;
  /** No thread starts before the first batch is sent. */
  constructor(private readonly size: number) {}

  send(first: number, lines: string[]): Promise<BatchResult> {
    if (this.workers.length < this.size) this.workers.push(this.start());
    const id = this.next++;
    const worker = this.workers[id % this.workers.length];
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, first, lines } satisfies LineBatch);
    });
  }

  private start(): Worker {
    const worker = metricsThread();
    worker.on("message", (r: BatchResult) => {
      this.waiting.get(r.id)?.resolve(r);
      this.waiting.delete(r.id);
    });
    const fail = (err: Error) => {
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
    };
    worker.on("error", (err) => fail(new Error(`a text-metrics thread failed: ${err.message}`)));
    worker.on("exit", (code) => fail(new Error(`a text-metrics thread stopped (exit code ${code})`)));
    return worker;
  }

  async close(): Promise<void> {
    this.waiting.clear();
    await Promise.all(this.workers.splice(0).map((w) => w.terminate()));
  }
}

/** Streams JSON Lines from `input` to `output`; returns the number of records written. */
export async function streamTextMetrics(input: Readable, output: Writable, opts: StreamOptions = {}): Promise<number> {
  const threads = Math.max(1, Math.floor(opts.threads ?? Math.min(4, os.availableParallelism())));
  const batchLines = Math.max(1, opts.batchLines ?? 2000);
  const decoder = new TextDecoder("utf-8");
  let pieces: string[] = []; // the unfinished last line, in chunks (no quadratic re-scan)
  let lineNumber = 0;
  let records = 0;
  let pending = "";
  // On one thread, each input chunk's lines are computed here. On several, an input smaller than a batch is too;
  // otherwise batches go to the threads, at most two per thread in flight (memory stays flat: a slow writer holds
  // the reader back), and are written in input order.
  let batch: string[] = [];
  let batchFirst = 1;
  const pool = new BatchPool(threads);
  const inFlight: Promise<BatchResult>[] = [];

  const writeResult = (r: BatchResult): void => {
    pending += r.out;
    records += r.records;
    if (r.usageError !== undefined) throw new UsageError(r.usageError);
    if (r.error !== undefined) throw new Error(r.error);
  };
  const drainTo = async (limit: number): Promise<void> => {
    while (inFlight.length > limit) writeResult(await inFlight.shift()!);
  };
  const compute = (first: number, lines: string[]): void => {
    for (let i = 0; i < lines.length; i++) {
      const out = processLine(lines[i], first + i);
      if (out !== null) {
        pending += out;
        records++;
      }
    }
  };
  const flushBatch = async (): Promise<void> => {
    if (batch.length === 0) return;
    const [first, lines] = [batchFirst, batch];
    batch = [];
    batchFirst = lineNumber + 1;
    if (threads === 1 || (first === 1 && lines.length < batchLines)) return compute(first, lines);
    inFlight.push(pool.send(first, lines));
    await drainTo(2 * threads - 1);
  };
  const take = (line: string): void => {
    lineNumber++;
    batch.push(line);
  };
  const scan = (chunk: string): void => {
    let start = 0;
    let newline: number;
    while ((newline = chunk.indexOf("\n", start)) >= 0) {
      let line = chunk.slice(start, newline);
      if (pieces.length > 0) {
        pieces.push(line);
        line = pieces.join("");
        pieces = [];
      }
      take(line);
      start = newline + 1;
    }
    if (start < chunk.length) pieces.push(chunk.slice(start));
  };

  try {
    for await (const chunk of input as AsyncIterable<string | Uint8Array>) {
      scan(typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }));
      if (threads === 1 || batch.length >= batchLines) await flushBatch();
      // One write per input chunk; wait for the reader when the writer's buffer is full.
      await write(output, pending);
      pending = "";
    }
    scan(decoder.decode());
    if (pieces.length > 0) take(pieces.join(""));
    await flushBatch();
    await drainTo(0);
  } finally {
    // Lines before a bad one are still written (a thread's batch up to its bad line included).
    await write(output, pending);
    pending = "";
    // Batches after a bad line are dropped unwritten.
    for (const p of inFlight) p.catch(() => undefined);
    await pool.close();
  }
  return records;
}

export const textMetricsAction: Action = async (opts, _args, io) => {
  const options = { in: typeof opts.in === "string" ? opts.in : undefined, out: typeof opts.out === "string" ? opts.out : undefined };
  for (const [name, value] of Object.entries(options)) if (value === "") throw new UsageError(`--${name} needs a file name`);
  const threads = intOption(opts.threads, "threads", 1);
  const input = options.in !== undefined ? await openInput(options.in) : io.stdin;
  let output: Writable;
  try {
    output = options.out !== undefined ? await openOutput(options.out) : io.stdout;
  } catch (err) {
    if (options.in !== undefined) input.destroy();
    throw err;
  }
  try {
    await streamTextMetrics(input, output, { threads });
  } finally {
    if (options.in !== undefined) input.destroy();
    if (options.out !== undefined) {
      output.end();
      await once(output, "close");
    }
  }
  return 0;
};
