/**
 * Where benchmark files come from. Two modes (DESIGN.md, "Data sources"):
 * - `dataDir` option or LINEAGE_DATA_DIR set → read from that folder, laid out one folder per benchmark with the original file names. No network.
 * - otherwise → cache under `${home ?? LINEAGE_HOME ?? "./.lineage"}/data/<same layout>`; a missing file is
 *   downloaded once from its pinned URL (idle timeout, temp file + atomic rename, sha256 verified; a mismatch
 *   deletes the download). Files without a pinned checksum are trusted on first use: the checksum is recorded in
 *   `<file>.sha256` beside the cached file and every later read is verified against it.
 */
import { createHash, randomUUID } from "node:crypto";
import { constants as fsConstants, createReadStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";

import { parseAlpacaJson, parseSeedTasks, type AlpacaRecord, type SeedTask } from "./alpaca";
import { BBQ_TOOLKIT_CATEGORIES, parseBbqJsonl, type BbqCategory, type BbqRecord } from "./bbq";
import { parseBoldPrompts, type BoldPrompt } from "./bold";
import { parseCrowsPairs, type CrowsPair } from "./crows-pairs";
import { dollySplits, parseDolly200, type DollyRecord } from "./dolly";
import { parseHellaswag, type HellaswagItem } from "./hellaswag";
import { parseOpenBookQa, type OpenBookQaItem } from "./openbookqa";
import { parsePromptList, type PromptItem, type PromptListFormat } from "./prompt-lists";
import { parseRealToxicityPrompts, parseRtpToolkitSet, type RtpPrompt, type RtpToolkitPrompt } from "./real-toxicity-prompts";
import { BOLD_DOMAINS, SEAT_TESTS, TOXIGEN_FILES, benchmarkFileSpec, type BenchmarkFileSpec, type BenchmarkId } from "./registry";
import { parseSeatTest, type SeatTest } from "./seat";
import { parseStereoSet, type StereoSetData } from "./stereoset";
import { errorOfKind } from "@/lib/errors";

/** The subset of `fetch` the downloader uses; tests inject a fake. */
export type FetchLike = (url: string, init?: { signal?: AbortSignal }) => Promise<Response>;

export interface DataSourceOptions {
  /** Read files from this folder (no network). Default: LINEAGE_DATA_DIR. */
  dataDir?: string;
  /** Cache root's parent. Default: LINEAGE_HOME, else "./.lineage". Files go to `<home>/data/<layout path>`. */
  home?: string;
  fetch?: FetchLike;
  /** Environment to read LINEAGE_DATA_DIR / LINEAGE_HOME from. Default: process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Abort a download when no data arrives for this long (ms). Default 60 000. */
  idleTimeoutMs?: number;
  /** Also verify pinned checksums of files read from the data folder (default false: the folder is the user's). */
  verifyDataDir?: boolean;
}

export interface ResolvedBenchmarkFile {
  benchmark: BenchmarkId;
  file: string;
  /** Absolute path of the file to read. */
  path: string;
  origin: "data-dir" | "cache" | "download";
  url: string | null;
  /** Verified checksum (null for data-dir reads that were not verified). */
  sha256: string | null;
}

export class BenchmarkFileMissingError extends errorOfKind("not_found") {
  constructor(
    readonly benchmark: BenchmarkId,
    readonly file: string,
    readonly lookedAt: string,
    readonly url: string | null,
    detail: string,
  ) {
    super(`${benchmark}: file ${JSON.stringify(file)} not found at ${lookedAt} ${detail}`);
    this.name = "BenchmarkFileMissingError";
  }
}

export class BenchmarkChecksumError extends errorOfKind("unavailable") {
  constructor(
    readonly file: string,
    readonly source: string,
    readonly expected: string,
    readonly actual: string,
    detail: string,
  ) {
    super(`${file}: sha256 mismatch for ${source} (expected ${expected}, got ${actual}); ${detail}`);
    this.name = "BenchmarkChecksumError";
  }
}

export class BenchmarkDownloadError extends errorOfKind("unavailable") {
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(`download of ${url} failed: ${reason}`);
    this.name = "BenchmarkDownloadError";
  }
}

const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

function envOf(opts: DataSourceOptions) {
  return opts.env ?? process.env;
}

/** The data folder in effect, or null when files come from the download cache. */
export function dataDirOf(opts: DataSourceOptions = {}): string | null {
  const d = opts.dataDir ?? envOf(opts).LINEAGE_DATA_DIR;
  return d ? path.resolve(/*turbopackIgnore: true*/ d) : null;
}

/** The cache folder (`<home>/data`) used when no data folder is set. */
export function cacheDirOf(opts: DataSourceOptions = {}): string {
  const home = opts.home ?? envOf(opts).LINEAGE_HOME ?? "./.lineage";
  return path.resolve(home, "data");
}

function howToGet(spec: BenchmarkFileSpec): string {
  if (spec.url) return `download it from ${spec.url}`;
  return spec.note ?? "no public download is known";
}

export async function resolveBenchmarkFile(benchmark: BenchmarkId, file: string, opts: DataSourceOptions = {}): Promise<ResolvedBenchmarkFile> {
  const spec = benchmarkFileSpec(benchmark, file);
  const dataDir = dataDirOf(opts);
  if (dataDir) {
    const p = path.join(dataDir, spec.path);
    if (!(await isFile(p))) {
      throw new BenchmarkFileMissingError(
        benchmark,
        file,
        p,
        spec.url,
        `(data folder ${dataDir}, from LINEAGE_DATA_DIR or the dataDir option; nothing is downloaded in this mode): ${howToGet(spec)} and save it there`,
      );
    }
    let sha: string | null = null;
    if (opts.verifyDataDir && spec.sha256) {
      sha = await sha256File(p);
      if (sha !== spec.sha256) throw new BenchmarkChecksumError(file, p, spec.sha256, sha, "the file in the data folder differs from the canonical one");
    }
    return { benchmark, file, path: p, origin: "data-dir", url: spec.url, sha256: sha };
  }

  const dest = path.join(cacheDirOf(opts), spec.path);
  const key = dest;
  const pending = inFlight.get(key);
  if (pending) return pending;
  const job = resolveCached(benchmark, file, spec, dest, opts).finally(() => inFlight.delete(key));
  inFlight.set(key, job);
  return job;
}

// One download per destination at a time within this process.
const inFlight = new Map<string, Promise<ResolvedBenchmarkFile>>();

async function resolveCached(
  benchmark: BenchmarkId,
  file: string,
  spec: BenchmarkFileSpec,
  dest: string,
  opts: DataSourceOptions,
): Promise<ResolvedBenchmarkFile> {
  const recordPath = `${dest}.sha256`;
  const recorded = await readRecord(recordPath);
  const expected = spec.sha256 ?? recorded?.sha256 ?? null;
  if (await isFile(dest)) {
    const actual = await sha256File(dest);
    if (expected === null) {
      // A file placed in the cache by hand, with nothing to compare with: trust it now, verify from here on.
      await writeRecord(recordPath, { sha256: actual, url: spec.url, recordedAt: new Date().toISOString() });
      return { benchmark, file, path: dest, origin: "cache", url: spec.url, sha256: actual };
    }
    if (actual === expected) return { benchmark, file, path: dest, origin: "cache", url: spec.url, sha256: actual };
    // Corrupted or edited cache entry: drop it and fetch a fresh copy below (which is verified again).
    await fs.rm(dest, { force: true });
  }
  if (!spec.url) {
    throw new BenchmarkFileMissingError(benchmark, file, dest, null, `(download cache; LINEAGE_DATA_DIR not set): ${howToGet(spec)}`);
  }
  const sha = await download(spec.url, dest, expected, file, opts);
  return { benchmark, file, path: dest, origin: "download", url: spec.url, sha256: sha };
}

async function download(url: string, dest: string, expected: string | null, file: string, opts: DataSourceOptions): Promise<string> {
  const fetchImpl: FetchLike = opts.fetch ?? ((u, init) => fetch(u, init));
  const idle = opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  await fs.mkdir(path.dirname(dest), { recursive: true });
  const tmp = `${dest}.${process.pid}.${randomUUID().slice(0, 8)}.part`;
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timedOut = false;
  const arm = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, idle);
  };
  let handle: fs.FileHandle | undefined;
  let renamed = false;
  try {
    arm();
    let res: Response;
    try {
      res = await fetchImpl(url, { signal: controller.signal });
    } catch (e) {
      throw new BenchmarkDownloadError(url, timedOut ? `no response within ${idle} ms` : errorText(e));
    }
    if (!res.ok) throw new BenchmarkDownloadError(url, `HTTP ${res.status} ${res.statusText}`.trim());
    if (!res.body) throw new BenchmarkDownloadError(url, "empty response body");
    handle = await fs.open(tmp, "wx");
    const hash = createHash("sha256");
    const reader = res.body.getReader();
    try {
      for (;;) {
        arm();
        const { done, value } = await reader.read();
        if (done) break;
        hash.update(value);
        await handle.write(value);
      }
    } catch (e) {
      throw new BenchmarkDownloadError(url, timedOut ? `stalled: no data for ${idle} ms` : errorText(e));
    }
    await handle.sync();
    await handle.close();
    handle = undefined;
    const actual = hash.digest("hex");
    if (expected !== null && actual !== expected) {
      throw new BenchmarkChecksumError(file, url, expected, actual, "the download was deleted");
    }
    // Record first, then publish the file: a crash in between leaves a record without a file, which only means
    // the next run downloads again and verifies against the record.
    await writeRecord(`${dest}.sha256`, { sha256: actual, url, recordedAt: new Date().toISOString() });
    await fs.rename(tmp, dest);
    renamed = true;
    return actual;
  } finally {
    if (timer) clearTimeout(timer);
    if (handle) await handle.close().catch(() => {});
    if (!renamed) await fs.rm(tmp, { force: true }).catch(() => {});
  }
}

function errorText(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as { cause?: unknown }).cause;
    return cause instanceof Error ? `${e.message} (${cause.message})` : e.message;
  }
  return String(e);
}

interface ChecksumRecord {
  sha256: string;
  url: string | null;
  recordedAt: string;
}

async function readRecord(p: string): Promise<ChecksumRecord | null> {
  try {
    const v = JSON.parse(await fs.readFile(p, "utf8")) as Partial<ChecksumRecord>;
    return typeof v.sha256 === "string" && /^[0-9a-f]{64}$/.test(v.sha256) ? (v as ChecksumRecord) : null;
  } catch {
    return null;
  }
}

async function writeRecord(p: string, record: ChecksumRecord): Promise<void> {
  const tmp = `${p}.${process.pid}.${randomUUID().slice(0, 8)}.part`;
  await fs.writeFile(tmp, `${JSON.stringify(record, null, 2)}\n`);
  await fs.rename(tmp, p);
}

async function isFile(p: string): Promise<boolean> {
  try {
    await fs.access(p, fsConstants.R_OK);
    return (await fs.stat(p)).isFile();
  } catch {
    return false;
  }
}

export async function sha256File(p: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(p)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Resolves (downloading if needed) and reads a benchmark file. */
export async function readBenchmarkFile(
  benchmark: BenchmarkId,
  file: string,
  opts: DataSourceOptions = {},
): Promise<{ resolved: ResolvedBenchmarkFile; bytes: Uint8Array }> {
  const resolved = await resolveBenchmarkFile(benchmark, file, opts);
  return { resolved, bytes: await fs.readFile(resolved.path) };
}

async function load<T>(benchmark: BenchmarkId, file: string, opts: DataSourceOptions, parse: (bytes: Uint8Array, name: string) => T): Promise<T> {
  const { bytes } = await readBenchmarkFile(benchmark, file, opts);
  return parse(bytes, file);
}

// ---------------------------------------------------------------------------------------------------------------
// High-level loaders: resolve + parse.

export function loadStereoSet(opts: DataSourceOptions = {}): Promise<StereoSetData> {
  return load("stereoset", "dev.json", opts, parseStereoSet);
}

export function loadCrowsPairs(opts: DataSourceOptions = {}): Promise<CrowsPair[]> {
  return load("crows_pairs", "crows_pairs_anonymized.csv", opts, parseCrowsPairs);
}

export interface BbqCategoryData {
  category: BbqCategory;
  records: BbqRecord[];
}

/** BBQ categories in the order asked (default: the toolkit's 7). */
export async function loadBbq(categories: readonly BbqCategory[] = BBQ_TOOLKIT_CATEGORIES, opts: DataSourceOptions = {}): Promise<BbqCategoryData[]> {
  const out: BbqCategoryData[] = [];
  for (const category of categories) out.push({ category, records: await load("bbq", `${category}.jsonl`, opts, parseBbqJsonl) });
  return out;
}

/** SEAT tests by name (file stem; default: all 50). */
export async function loadSeat(tests: readonly string[] = SEAT_TESTS, opts: DataSourceOptions = {}): Promise<SeatTest[]> {
  const out: SeatTest[] = [];
  for (const t of tests) out.push(await load("seat", `${t}.jsonl`, opts, parseSeatTest));
  return out;
}

/** The toolkit's 300 toxic RTP prompts. */
export function loadRtpToolkitSet(opts: DataSourceOptions = {}): Promise<RtpToolkitPrompt[]> {
  return load("real_toxicity_prompts", "rtp_toxic_test_set.json", opts, parseRtpToolkitSet);
}

/** The full RealToxicityPrompts release (~99k prompts; trust-on-first-use checksum). */
export function loadRealToxicityPrompts(opts: DataSourceOptions = {}): Promise<RtpPrompt[]> {
  return load("real_toxicity_prompts", "prompts.jsonl", opts, parseRealToxicityPrompts);
}

/**
 * HellaSwag validation. Reads the canonical `hellaswag_val.jsonl`; in data-folder mode, when only the 6-line
 * text rendition `hellaswag_val_full.txt` is there (as in some local copies), reads that instead (its records say
 * `layout: "text6"`). In cache mode the canonical file is downloaded.
 */
export async function loadHellaswag(opts: DataSourceOptions = {}): Promise<HellaswagItem[]> {
  try {
    return await load("hellaswag", "hellaswag_val.jsonl", opts, parseHellaswag);
  } catch (e) {
    if (!(e instanceof BenchmarkFileMissingError) || !dataDirOf(opts)) throw e;
    try {
      return await load("hellaswag", "hellaswag_val_full.txt", opts, parseHellaswag);
    } catch (e2) {
      if (e2 instanceof BenchmarkFileMissingError) throw e; // report the canonical file as the one missing
      throw e2;
    }
  }
}

export function loadOpenBookQa(opts: DataSourceOptions = {}): Promise<OpenBookQaItem[]> {
  return load("openbookqa", "test.jsonl", opts, parseOpenBookQa);
}

/** Dolly-200 with the toolkit's split (English rows; first 100 = val, rest = test). */
export async function loadDolly200(opts: DataSourceOptions = {}): Promise<{ records: DollyRecord[]; val: DollyRecord[]; test: DollyRecord[] }> {
  const records = await load("dolly200", "dolly_eval_eng.jsonl", opts, parseDolly200);
  return { records, ...dollySplits(records) };
}

export function loadAlpaca(file: "alpaca_5000.json" | "alpaca_data.json" = "alpaca_5000.json", opts: DataSourceOptions = {}): Promise<AlpacaRecord[]> {
  return load("alpaca", file, opts, parseAlpacaJson);
}

export function loadSeedTasks(opts: DataSourceOptions = {}): Promise<SeedTask[]> {
  return load("alpaca", "seed_tasks.jsonl", opts, parseSeedTasks);
}

export async function loadBoldPrompts(domains: readonly string[] = BOLD_DOMAINS, opts: DataSourceOptions = {}): Promise<BoldPrompt[]> {
  const out: BoldPrompt[] = [];
  for (const d of domains) {
    for (const p of await load("bold", `${d}_prompt.json`, opts, parseBoldPrompts)) out.push({ ...p, index: out.length });
  }
  return out;
}

/** ToxiGen prompt files by stem (e.g. `hate_asian_1k`), each a TXT prompt list (literal `\n` kept as is). */
export async function loadToxigenPrompts(
  files: readonly string[] = TOXIGEN_FILES,
  opts: DataSourceOptions = {},
): Promise<{ file: string; prompts: PromptItem[] }[]> {
  const out: { file: string; prompts: PromptItem[] }[] = [];
  for (const f of files) out.push({ file: f, prompts: await load("toxigen", `${f}.txt`, opts, (b, n) => parsePromptList(b, n, "txt")) });
  return out;
}

/** A user's own prompt list (any path; format from the extension unless given). */
export async function loadPromptListFile(filePath: string, format?: PromptListFormat): Promise<PromptItem[]> {
  return parsePromptList(await fs.readFile(filePath), path.basename(filePath), format);
}
