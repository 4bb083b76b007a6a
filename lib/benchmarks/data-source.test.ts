import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync, copyFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import {
  BenchmarkChecksumError,
  BenchmarkDownloadError,
  BenchmarkFileMissingError,
  loadAlpaca,
  loadBbq,
  loadBoldPrompts,
  loadCrowsPairs,
  loadDolly200,
  loadHellaswag,
  loadOpenBookQa,
  loadPromptListFile,
  loadRealToxicityPrompts,
  loadRtpToolkitSet,
  loadSeat,
  loadSeedTasks,
  loadStereoSet,
  loadToxigenPrompts,
  resolveBenchmarkFile,
  type FetchLike,
} from "./data-source";
import { BENCHMARKS } from "./registry";

const FIXTURES = path.join(import.meta.dirname, "fixtures");
const STEREOSET_URL = BENCHMARKS.stereoset.files["dev.json"].url!;
const CROWS_URL = BENCHMARKS.crows_pairs.files["crows_pairs_anonymized.csv"].url!;
/** File bytes in a fresh ArrayBuffer (what Response accepts as a body type). */
const fixtureBytes = (rel: string) => new Uint8Array(readFileSync(path.join(FIXTURES, rel)));
const sha = (b: Uint8Array | string) => createHash("sha256").update(b).digest("hex");

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "lineage-bench-"));
});
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** A fake fetch serving fixed bodies by URL and recording the calls. Never touches the network. */
function fakeFetch(routes: Record<string, string | Uint8Array<ArrayBuffer> | (() => Response)>) {
  const calls: string[] = [];
  const fn: FetchLike = async (url) => {
    calls.push(url);
    const r = routes[url];
    if (r === undefined) return new Response("not found", { status: 404, statusText: "Not Found" });
    if (typeof r === "function") return r();
    return new Response(r);
  };
  return { fetch: fn, calls };
}

const noNetwork: FetchLike = async (url) => {
  throw new Error(`unexpected fetch of ${url}`);
};

/** All files under dir, relative. */
function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)))
    .sort();
}

describe("download cache", () => {
  it("downloads once, records the checksum (trust on first use), then reads from the cache", async () => {
    const body = fixtureBytes("stereoset/dev.json");
    const { fetch, calls } = fakeFetch({ [STEREOSET_URL]: body });
    const opts = { home: tmp, fetch, env: {} };

    const first = await resolveBenchmarkFile("stereoset", "dev.json", opts);
    expect(first).toMatchObject({ origin: "download", path: path.join(tmp, "data/stereoset/dev.json"), sha256: sha(body), url: STEREOSET_URL });
    const second = await resolveBenchmarkFile("stereoset", "dev.json", opts);
    expect(second.origin).toBe("cache");
    expect((await loadStereoSet(opts)).intrasentence).toHaveLength(2);
    expect(calls).toEqual([STEREOSET_URL]);

    expect(listFiles(path.join(tmp, "data"))).toEqual(["stereoset/dev.json", "stereoset/dev.json.sha256"]);
    const record = JSON.parse(readFileSync(path.join(tmp, "data/stereoset/dev.json.sha256"), "utf8"));
    expect(record).toMatchObject({ sha256: sha(body), url: STEREOSET_URL });
  });

  it("uses LINEAGE_HOME from the environment for the cache", async () => {
    const { fetch } = fakeFetch({ [STEREOSET_URL]: fixtureBytes("stereoset/dev.json") });
    const r = await resolveBenchmarkFile("stereoset", "dev.json", { fetch, env: { LINEAGE_HOME: tmp } });
    expect(r.path).toBe(path.join(tmp, "data/stereoset/dev.json"));
  });

  it("verifies a trusted-on-first-use file afterwards: a changed cache entry is re-fetched and checked against the record", async () => {
    const good = fixtureBytes("stereoset/dev.json");
    let serve: Uint8Array<ArrayBuffer> = good;
    const calls: string[] = [];
    const fetch: FetchLike = async (url) => {
      calls.push(url);
      return new Response(serve);
    };
    const opts = { home: tmp, fetch, env: {} };
    await resolveBenchmarkFile("stereoset", "dev.json", opts);
    const cached = path.join(tmp, "data/stereoset/dev.json");

    writeFileSync(cached, "tampered");
    const again = await resolveBenchmarkFile("stereoset", "dev.json", opts);
    expect(again.origin).toBe("download");
    expect(new Uint8Array(readFileSync(cached))).toEqual(good);

    // The upstream file changes: the recorded checksum no longer matches, so it is refused and nothing is kept.
    writeFileSync(cached, "tampered again");
    serve = new TextEncoder().encode('{"version": "2", "data": {"intrasentence": []}}');
    await expect(resolveBenchmarkFile("stereoset", "dev.json", opts)).rejects.toThrow(BenchmarkChecksumError);
    expect(existsSync(cached)).toBe(false);
    expect(calls).toHaveLength(3);
  });

  it("rejects a download whose checksum differs from the pinned one and leaves no file behind", async () => {
    const { fetch } = fakeFetch({ [CROWS_URL]: fixtureBytes("crows_pairs/crows_pairs_anonymized.csv") });
    const err = await loadCrowsPairs({ home: tmp, fetch, env: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BenchmarkChecksumError);
    expect((err as Error).message).toMatch(
      /^crows_pairs_anonymized\.csv: sha256 mismatch for https:\/\/raw\.githubusercontent\.com\/nyu-mll\/crows-pairs\/8aaac11c.*expected dfb36986.*the download was deleted/,
    );
    expect(listFiles(path.join(tmp, "data"))).toEqual([]);
  });

  it("reports HTTP errors and leaves no file behind", async () => {
    const { fetch } = fakeFetch({});
    await expect(loadStereoSet({ home: tmp, fetch, env: {} })).rejects.toThrow(new BenchmarkDownloadError(STEREOSET_URL, "HTTP 404 Not Found").message);
    expect(listFiles(path.join(tmp, "data"))).toEqual([]);
  });

  it("aborts a stalled download after the idle timeout", async () => {
    const fetch: FetchLike = async (_url, init) => {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode("{"));
          init?.signal?.addEventListener("abort", () => controller.error(new Error("aborted")));
        },
      });
      return new Response(body);
    };
    await expect(loadStereoSet({ home: tmp, fetch, env: {}, idleTimeoutMs: 50 })).rejects.toThrow(/stalled: no data for 50 ms/);
    expect(listFiles(path.join(tmp, "data"))).toEqual([]);
  });

  it("aborts when no response arrives within the timeout", async () => {
    const fetch: FetchLike = (_url, init) => new Promise((_resolve, reject) => init?.signal?.addEventListener("abort", () => reject(new Error("aborted"))));
    await expect(loadStereoSet({ home: tmp, fetch, env: {}, idleTimeoutMs: 50 })).rejects.toThrow(/no response within 50 ms/);
  });

  it("makes one request for concurrent resolves of the same file", async () => {
    const { fetch, calls } = fakeFetch({ [STEREOSET_URL]: fixtureBytes("stereoset/dev.json") });
    const opts = { home: tmp, fetch, env: {} };
    const rs = await Promise.all([1, 2, 3].map(() => resolveBenchmarkFile("stereoset", "dev.json", opts)));
    expect(new Set(rs.map((r) => r.path)).size).toBe(1);
    expect(calls).toHaveLength(1);
  });

  it("says where to get a file that has no single-file download", async () => {
    const err = await loadOpenBookQa({ home: tmp, fetch: noNetwork, env: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BenchmarkFileMissingError);
    const msg = (err as Error).message;
    expect(msg).toContain('openbookqa: file "test.jsonl" not found at ' + path.join(tmp, "data/openbookqa/test.jsonl"));
    expect(msg).toContain("https://s3-us-west-2.amazonaws.com/ai2-website/data/OpenBookQA-V1-Sep2018.zip");
  });

  it("rejects unknown benchmarks and files", async () => {
    await expect(resolveBenchmarkFile("bbq", "Weather.jsonl", { home: tmp, fetch: noNetwork, env: {} })).rejects.toThrow(
      /unknown file "Weather\.jsonl" for benchmark bbq \(known: Age\.jsonl,/,
    );
  });
});

describe("data folder (LINEAGE_DATA_DIR)", () => {
  it("reads from LINEAGE_DATA_DIR without any network", async () => {
    const opts = { env: { LINEAGE_DATA_DIR: FIXTURES, LINEAGE_HOME: tmp }, fetch: noNetwork };
    const r = await resolveBenchmarkFile("crows_pairs", "crows_pairs_anonymized.csv", opts);
    expect(r).toMatchObject({ origin: "data-dir", path: path.join(FIXTURES, "crows_pairs/crows_pairs_anonymized.csv"), sha256: null });
    expect(await loadCrowsPairs(opts)).toHaveLength(4);
    expect(listFiles(tmp)).toEqual([]);
  });

  it("the dataDir option wins over the environment", async () => {
    const r = await resolveBenchmarkFile("stereoset", "dev.json", { dataDir: FIXTURES, env: { LINEAGE_DATA_DIR: tmp }, fetch: noNetwork });
    expect(r.path).toBe(path.join(FIXTURES, "stereoset/dev.json"));
  });

  it("names the file, where it looked and the URL when a file is missing", async () => {
    const err = await loadStereoSet({ env: { LINEAGE_DATA_DIR: tmp }, fetch: noNetwork }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BenchmarkFileMissingError);
    expect((err as Error).message).toBe(
      `stereoset: file "dev.json" not found at ${path.join(tmp, "stereoset/dev.json")} (data folder ${tmp}, from LINEAGE_DATA_DIR or the dataDir option; nothing is downloaded in this mode): download it from ${STEREOSET_URL} and save it there`,
    );
  });

  it("optionally verifies pinned checksums of data-folder files", async () => {
    await expect(resolveBenchmarkFile("crows_pairs", "crows_pairs_anonymized.csv", { dataDir: FIXTURES, env: {}, verifyDataDir: true })).rejects.toThrow(
      /differs from the canonical one/,
    );
  });

  it("falls back to the HellaSwag text rendition only when the canonical JSONL is absent", async () => {
    expect((await loadHellaswag({ dataDir: FIXTURES, env: {} }))[0].layout).toBe("jsonl");
    mkdirSync(path.join(tmp, "hellaswag"));
    await expect(loadHellaswag({ dataDir: tmp, env: {} })).rejects.toThrow(/file "hellaswag_val\.jsonl" not found/);
    copyFileSync(path.join(FIXTURES, "hellaswag/hellaswag_val_full.txt"), path.join(tmp, "hellaswag/hellaswag_val_full.txt"));
    const items = await loadHellaswag({ dataDir: tmp, env: {} });
    expect(items.map((i) => i.layout)).toEqual(["text6", "text6"]);
  });

  it("every loader reads the fixtures", async () => {
    const opts = { dataDir: FIXTURES, env: {}, fetch: noNetwork };
    const bbq = await loadBbq(["Age"], opts);
    expect(bbq[0].category).toBe("Age");
    expect(bbq[0].records).toHaveLength(4);
    expect((await loadSeat(["weat1"], opts))[0].name).toBe("weat1");
    expect(await loadRtpToolkitSet(opts)).toHaveLength(3);
    expect(await loadRealToxicityPrompts(opts)).toHaveLength(2);
    expect(await loadOpenBookQa(opts)).toHaveLength(2);
    const dolly = await loadDolly200(opts);
    expect([dolly.records.length, dolly.val.length, dolly.test.length]).toEqual([3, 3, 0]);
    expect(await loadAlpaca("alpaca_5000.json", opts)).toHaveLength(3);
    expect(await loadSeedTasks(opts)).toHaveLength(2);
    expect(await loadBoldPrompts(["gender"], opts)).toHaveLength(3);
    const tox = await loadToxigenPrompts(["neutral_women_1k"], opts);
    expect(tox[0].prompts).toHaveLength(2);
    expect(await loadPromptListFile(path.join(FIXTURES, "prompts/prompts.csv"))).toHaveLength(2);
  });
});
