// The toolkit import from the browser (Runs → Import → Add toolkit results): a folder the import refuses comes back
// as a field error on the files (a SEAT test listed twice was an uncaught error: React's "Minified React error #441"
// in the browser), and after an import the run page shows what the import left out or read a particular way —
// including that the same result files were imported before.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("next/navigation", () => ({
  redirect: (url: string) => {
    throw Object.assign(new Error("NEXT_REDIRECT"), { url });
  },
}));

const home = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-toolkit-action-"));
process.env.LINEAGE_HOME = home;
delete process.env.DATABASE_URL;
process.env.LINEAGE_SECRET_KEY = "toolkit-action-test";
// No data files: the import never downloads, and the items keep the toolkit's row numbers.
process.env.LINEAGE_DATA_DIR = path.join(home, "no-data");

const GOOD = path.resolve(import.meta.dirname, "../fixtures/toolkit-results/llama2-7b-passive");

describe("importToolkitAction", () => {
  let modelId: string;
  let db: Awaited<ReturnType<typeof import("@/lib/db/client").getDatabase>>;
  beforeAll(async () => {
    const { getDatabase } = await import("@/lib/db/client");
    db = await getDatabase();
    modelId = (await db.prisma.model.create({ data: { name: "toolkit student" } })).id;
  });
  afterAll(async () => {
    const { closeDatabase } = await import("@/lib/db/client");
    await closeDatabase();
  });

  const form = (files: Record<string, string>) => {
    const f = new FormData();
    f.append("toolkitModelId", modelId);
    f.append("toolkitName", "");
    for (const [name, text] of Object.entries(files)) f.append("files", new File([text], name, { type: "application/json" }));
    return f;
  };
  const folder = (over: Record<string, string> = {}) => {
    const out: Record<string, string> = {};
    for (const name of fs.readdirSync(GOOD)) out[name] = fs.readFileSync(path.join(GOOD, name), "utf8");
    return { ...out, ...over };
  };
  /** Submits the form; the run it redirected to, or the form state it returned. */
  const submit = async (files: Record<string, string>) => {
    const { importToolkitAction } = await import("@/app/runs/actions");
    try {
      return { state: await importToolkitAction(null, form(files)) };
    } catch (err) {
      const url = (err as { url?: string }).url;
      if (!url) throw err;
      return { runId: url.replace(/^\/runs\//, "") };
    }
  };

  it("a SEAT test listed twice is a field error on the files, and nothing is stored", async () => {
    const sb = JSON.parse(folder()["SocialBiasProfiling.json"]);
    sb.seat.push(sb.seat[1]);
    const before = await db.prisma.run.count();
    const r = await submit(folder({ "SocialBiasProfiling.json": JSON.stringify(sb) }));
    expect(r.runId).toBeUndefined();
    expect(r.state && !r.state.ok && r.state.fieldErrors.files).toBe('SocialBiasProfiling.json: SEAT test "sent-weat2" is listed twice (seat[1] and seat[3])');
    expect(await db.prisma.run.count()).toBe(before);
  });

  it("after an import the run page shows its notes; importing the same files again warns there", async () => {
    const { runProgress } = await import("@/lib/runs/runs");
    const files = folder({ "predictions.json": "{}" });
    const first = await submit(files);
    expect(first.runId, JSON.stringify(first.state)).toMatch(/^[0-9a-f-]{36}$/);
    // What the run page (components/run-live.tsx, "Notes") renders.
    const notes = (await runProgress(db, first.runId!))!.notes;
    expect(notes).toContain("not toolkit result files, ignored: predictions.json");
    expect(notes.some((n) => n.startsWith("SocialBiasProfiling.json: BBQ has 2 of the toolkit's 7 categories; missing: Disability_status"))).toBe(true);
    expect(notes.some((n) => n.startsWith("ToxicityProfiling.json: written with batch_size 8"))).toBe(true);
    expect(notes.some((n) => n.startsWith("already imported"))).toBe(false);

    const second = await submit(folder());
    const again = (await runProgress(db, second.runId!))!.notes;
    expect(again[0]).toMatch(
      new RegExp(`^already imported: these result files are identical to those of run ${first.runId} \\("toolkit import · llama2-7b-passive", `),
    );
  });
});
