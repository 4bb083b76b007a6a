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
import type { Readable, Writable } from "node:stream";
import { TEXT_METRIC_IDS, textMetrics } from "@/lib/metrics/text";
import { UsageError } from "./io";
import type { Action } from "./program";

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

/** Streams JSON Lines from `input` to `output`; returns the number of records written. */
export async function streamTextMetrics(input: Readable, output: Writable): Promise<number> {
  const decoder = new TextDecoder("utf-8");
  let pieces: string[] = []; // the unfinished last line, in chunks (no quadratic re-scan)
  let lineNumber = 0;
  let records = 0;
  let pending = "";

  const take = (line: string): void => {
    lineNumber++;
    const out = processLine(line, lineNumber);
    if (out !== null) {
      pending += out;
      records++;
    }
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
      // One write per input chunk; wait for the reader when the writer's buffer is full.
      await write(output, pending);
      pending = "";
    }
    scan(decoder.decode());
    if (pieces.length > 0) take(pieces.join(""));
  } finally {
    // Lines before a bad one are still written.
    await write(output, pending);
    pending = "";
  }
  return records;
}

export const textMetricsAction: Action = async (opts, _args, io) => {
  const options = { in: typeof opts.in === "string" ? opts.in : undefined, out: typeof opts.out === "string" ? opts.out : undefined };
  for (const [name, value] of Object.entries(options)) if (value === "") throw new UsageError(`--${name} needs a file name`);
  const input = options.in !== undefined ? await openInput(options.in) : io.stdin;
  let output: Writable;
  try {
    output = options.out !== undefined ? await openOutput(options.out) : io.stdout;
  } catch (err) {
    if (options.in !== undefined) input.destroy();
    throw err;
  }
  try {
    await streamTextMetrics(input, output);
  } finally {
    if (options.in !== undefined) input.destroy();
    if (options.out !== undefined) {
      output.end();
      await once(output, "close");
    }
  }
  return 0;
};
