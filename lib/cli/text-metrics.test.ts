import { execFile, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable, Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEXT_METRIC_IDS, textMetrics } from "@/lib/metrics/text";
import type { CliIO } from "./io";
import { main } from "./main";
import { streamTextMetrics } from "./text-metrics";

const repoRoot = path.resolve(import.meta.dirname, "../..");

/** A writable that collects what it is given; optionally slow, to exercise backpressure. */
class Collector extends Writable {
  chunks: string[] = [];
  constructor(
    private readonly delayMs = 0,
    highWaterMark = 16_384,
  ) {
    super({ highWaterMark, decodeStrings: false });
  }
  override _write(chunk: string | Buffer, _enc: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(typeof chunk === "string" ? chunk : chunk.toString("utf8"));
    if (this.delayMs > 0) setTimeout(callback, this.delayMs);
    else callback();
  }
  get text(): string {
    return this.chunks.join("");
  }
}

/** The most a writer ever held queued, read at the end: its write is watched. */
function trackBuffered(w: Collector): () => number {
  let most = 0;
  const original = w.write.bind(w);
  w.write = ((chunk: string, ...rest: never[]) => {
    const ok = original(chunk, ...rest);
    most = Math.max(most, w.writableLength);
    return ok;
  }) as typeof w.write;
  return () => most;
}

function io(stdin: Readable, stdout = new Collector()): CliIO & { stdout: Collector; stderr: Collector } {
  return { stdin, stdout, stderr: new Collector() };
}

function jsonl(records: unknown[]): string {
  return records.map((r) => JSON.stringify(r)).join("\n") + "\n";
}

function parseLines(text: string): Record<string, unknown>[] {
  return text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

const SAMPLE = "The cat sat on the mat. It was happy.";

describe("lineage text-metrics through main()", () => {
  it("writes one line per record with the id and every textual metric", async () => {
    const input = jsonl([
      { id: "a", text: SAMPLE },
      { id: "b", text: "" },
      { id: "c", text: "Beautiful animals live here. Readability matters a lot. Hyphenation is created daily.", extra: 1 },
    ]);
    const streams = io(Readable.from([input]));
    expect(await main(["text-metrics"], streams)).toBe(0);
    expect(streams.stderr.text).toBe("");
    const lines = parseLines(streams.stdout.text);
    expect(lines.map((l) => l.id)).toEqual(["a", "b", "c"]);
    for (const line of lines) expect(Object.keys(line)).toEqual(["id", ...TEXT_METRIC_IDS]);
    expect(lines[0]).toEqual({ id: "a", ...textMetrics(SAMPLE) });
    expect(lines[0].length_words).toBe(9);
    expect(lines[1].flesch_reading_ease).toBeNull();
    expect(lines[1].length_sentences).toBe(1);
    expect(lines[2].smog).toBeCloseTo(10.504224, 6);
  });

  it("skips blank lines, accepts CRLF, a BOM and a last line without newline", async () => {
    const input = "\ufeff" + JSON.stringify({ id: "x", text: "one" }) + "\r\n\r\n   \n" + JSON.stringify({ id: "y", text: "two words" });
    const streams = io(Readable.from([input]));
    expect(await main(["text-metrics"], streams)).toBe(0);
    expect(parseLines(streams.stdout.text).map((l) => [l.id, l.length_words])).toEqual([
      ["x", 1],
      ["y", 2],
    ]);
  });

  it("reassembles lines and UTF-8 characters split across chunks", async () => {
    const text = "Café “naïve” — 🍕 déjà vu. Ça va très bien, merci beaucoup.";
    const bytes = Buffer.from(
      jsonl([
        { id: "é", text },
        { id: "2", text: SAMPLE },
      ]),
      "utf8",
    );
    // 3-byte chunks cut through every multi-byte character and through the newline positions
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 3) chunks.push(bytes.subarray(i, i + 3));
    const streams = io(Readable.from(chunks));
    expect(await main(["text-metrics"], streams)).toBe(0);
    expect(parseLines(streams.stdout.text)).toEqual([
      { id: "é", ...textMetrics(text) },
      { id: "2", ...textMetrics(SAMPLE) },
    ]);
  });

  it("waits for a slow reader (backpressure) and keeps the order", async () => {
    const records = Array.from({ length: 3_000 }, (_, i) => ({ id: `r${i}`, text: `${SAMPLE} Number ${i} is here.` }));
    // many small input chunks, a slow writer with a tiny buffer
    const lines = jsonl(records).split(/(?<=\n)/);
    const slow = new Collector(1, 1_024);
    const maxBuffered = trackBuffered(slow);
    const input = Readable.from(
      (function* () {
        for (let i = 0; i < lines.length; i += 50) yield lines.slice(i, i + 50).join("");
      })(),
    );
    const streams = io(input, slow);
    expect(await main(["text-metrics", "--threads", "1"], streams)).toBe(0);
    const out = parseLines(slow.text);
    expect(out).toHaveLength(3_000);
    expect(out.map((l) => l.id)).toEqual(records.map((r) => r.id));
    // never more than one input chunk's worth of output is queued (≈ 50 lines of ~400 bytes)
    expect(maxBuffered()).toBeLessThan(50_000);
  });

  describe("on threads", () => {
    const records = Array.from({ length: 3_000 }, (_, i) => ({ id: `r${i}`, text: `${SAMPLE} Number ${i} is here, ${"word ".repeat(i % 40)}.` }));
    const chunked = (text: string) => {
      const lines = text.split(/(?<=\n)/);
      return Readable.from(
        (function* () {
          for (let i = 0; i < lines.length; i += 50) yield lines.slice(i, i + 50).join("");
        })(),
      );
    };

    it("writes the same lines in the same order as one thread, a slow reader holding the input back", async () => {
      const text = jsonl(records).replace('{"id":"r7"', '\r\n\n{"id":"r7"'); // a blank line and a CRLF among them
      const one = new Collector();
      expect(await streamTextMetrics(chunked(text), one, { threads: 1 })).toBe(3_000);
      const slow = new Collector(1, 1_024);
      const maxBuffered = trackBuffered(slow);
      expect(await streamTextMetrics(chunked(text), slow, { threads: 2, batchLines: 100 })).toBe(3_000);
      expect(slow.text).toBe(one.text);
      // Memory stays flat: at most the batches in flight (4 of 100 lines) are queued, not the whole output.
      expect(one.text.length).toBeGreaterThan(1_000_000);
      expect(maxBuffered()).toBeLessThan(250_000);
    });

    it("a bad line in a middle batch: the lines before it are written, then its message", async () => {
      const text = jsonl(records.slice(0, 1_233)) + "not json\n" + jsonl(records.slice(1_233));
      const out = new Collector();
      await expect(streamTextMetrics(chunked(text), out, { threads: 2, batchLines: 100 })).rejects.toThrow(/^line 1234: invalid JSON/);
      expect(parseLines(out.text).map((l) => l.id)).toEqual(records.slice(0, 1_233).map((r) => r.id));
    });
  });

  it.each([
    ['{"id": "a", "text": "ok"}\n{"id": "b", "text": \n', 2, /^lineage text-metrics: line 2: invalid JSON/],
    ['\n\n{"text": "no id"}\n', 3, /^lineage text-metrics: line 3: "id" must be a string, got nothing\n$/],
    ['{"id": 7, "text": "x"}\n', 1, /^lineage text-metrics: line 1: "id" must be a string, got a number\n$/],
    ['{"id": "a", "text": null}\n', 1, /^lineage text-metrics: line 1: "text" must be a string, got null\n$/],
    ['{"id": "a"}\n', 1, /^lineage text-metrics: line 1: "text" must be a string, got nothing\n$/],
    ['["a", "b"]\n', 1, /^lineage text-metrics: line 1: expected an object .*got an array\n$/],
    ['{"id":"a","text":"fine"}\n'.repeat(16) + "not json\n", 17, /^lineage text-metrics: line 17: invalid JSON/],
  ])("bad input %#: exit 2 with one stderr line naming the line", async (input, lineNumber, message) => {
    const streams = io(Readable.from([input]));
    expect(await main(["text-metrics"], streams)).toBe(2);
    const stderr = streams.stderr.text;
    expect(stderr).toMatch(message);
    expect(stderr).toContain(`line ${lineNumber}:`);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    // the good lines before the bad one were written
    expect(parseLines(streams.stdout.text)).toHaveLength(lineNumber === 17 ? 16 : lineNumber === 2 ? 1 : 0);
  });

  it("rejects unknown arguments and a missing option value", async () => {
    for (const args of [["--bogus"], ["--in"], ["--out="], ["positional"]]) {
      const streams = io(Readable.from([""]));
      expect(await main(["text-metrics", ...args], streams)).toBe(2);
      expect(streams.stderr.text).toMatch(/^lineage text-metrics: /);
    }
  });

  it("prints its usage with --help", async () => {
    const streams = io(Readable.from([""]));
    expect(await main(["text-metrics", "--help"], streams)).toBe(0);
    // Generated from the option declarations (lib/cli/program.ts).
    expect(streams.stdout.text).toContain("Usage: lineage text-metrics [options]");
    expect(streams.stdout.text).toMatch(/--in <file>\s+read this file instead of stdin/);
    expect(streams.stdout.text).toMatch(/--out <file>/);
    expect(streams.stdout.text).toMatch(/--threads <n>/);
  });

  describe("with files", () => {
    let dir = "";
    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), "lineage-text-metrics-"));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it("reads --in and writes --out (both spellings)", async () => {
      const inFile = path.join(dir, "in.jsonl");
      const outFile = path.join(dir, "out.jsonl");
      await writeFile(inFile, jsonl([{ id: "f1", text: SAMPLE }]));
      const streams = io(Readable.from([]));
      expect(await main(["text-metrics", "--in", inFile, `--out=${outFile}`], streams)).toBe(0);
      expect(streams.stdout.text).toBe("");
      expect(parseLines(await readFile(outFile, "utf8"))).toEqual([{ id: "f1", ...textMetrics(SAMPLE) }]);
    });

    it("reports an unreadable input file as a usage error", async () => {
      const streams = io(Readable.from([]));
      expect(await main(["text-metrics", "--in", path.join(dir, "missing.jsonl")], streams)).toBe(2);
      expect(streams.stderr.text).toMatch(/^lineage text-metrics: cannot read .*missing\.jsonl: ENOENT\n$/);
    });
  });
});

describe("the real bin", () => {
  const runBin = (input: string) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(repoRoot, "bin/lineage.mjs"), "text-metrics"], { cwd: repoRoot });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
      child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(input);
    });

  it("node bin/lineage.mjs text-metrics streams stdin to stdout", async () => {
    const result = await runBin(
      jsonl([
        { id: "bin", text: SAMPLE },
        { id: "bin2", text: "state-of-the-art" },
      ]),
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(parseLines(result.stdout)).toEqual([
      { id: "bin", ...textMetrics(SAMPLE) },
      { id: "bin2", ...textMetrics("state-of-the-art") },
    ]);
  });

  it("computes a large input on the bundle's own threads", async () => {
    const records = Array.from({ length: 5_000 }, (_, i) => ({ id: `b${i}`, text: `${SAMPLE} ${"more words ".repeat(i % 9)}` }));
    const result = await runBin(jsonl(records));
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const out = parseLines(result.stdout);
    expect(out.map((l) => l.id)).toEqual(records.map((r) => r.id));
    expect(out[4_321]).toEqual({ id: "b4321", ...textMetrics(records[4_321].text) });
  });

  it("exits 2 with one stderr line on bad input", async () => {
    const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, [path.join(repoRoot, "bin/lineage.mjs"), "text-metrics"], { cwd: repoRoot }, (error, _stdout, stderrText) =>
        resolve({ code: error ? Number(error.code) : 0, stderr: String(stderrText) }),
      );
      child.stdin?.end('{"id": "ok", "text": "fine"}\n{"id": 1}\n');
    });
    expect(code).toBe(2);
    expect(stderr).toBe('lineage text-metrics: line 2: "id" must be a string, got a number\n');
  });
});
