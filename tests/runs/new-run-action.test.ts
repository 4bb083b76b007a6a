// The new-run server action with the suite choice: quick/paper/custom build the right suite, the hidden textual
// fields fall back to their defaults, and what cannot be resolved comes back as a form error.
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

const home = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-action-"));
process.env.LINEAGE_HOME = home;
delete process.env.DATABASE_URL;
process.env.LINEAGE_SECRET_KEY = "action-test";
process.env.LINEAGE_DATA_DIR = path.resolve(import.meta.dirname, "../../lib/benchmarks/fixtures");
delete process.env.LINEAGE_SCORER;

describe("createRunAction with a suite", () => {
  let modelId: string;
  let db: Awaited<ReturnType<typeof import("@/lib/db/client").getDatabase>>;
  beforeAll(async () => {
    const { getDatabase } = await import("@/lib/db/client");
    db = await getDatabase();
    const m = await db.prisma.model.create({ data: { name: "m", baseUrl: "http://127.0.0.1:9/v1", servedModelId: "x" } });
    modelId = m.id;
  });
  afterAll(async () => {
    const { closeDatabase } = await import("@/lib/db/client");
    await closeDatabase();
  });

  const form = (fields: Record<string, string | string[]>) => {
    const f = new FormData();
    for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) f.append(k, x);
    return f;
  };

  it("custom benchmarks with a seeded limit, no textual fields sent", async () => {
    const { createRunAction } = await import("@/app/runs/actions");
    const err = await createRunAction(null, form({ modelId, suite: "custom", benchmarks: ["crows_pairs", "bbq"], benchLimit: "3", name: "" })).catch((e) => e);
    expect(err.message, JSON.stringify(err)).toBe("NEXT_REDIRECT");
    const run = await db.prisma.run.findFirstOrThrow({ orderBy: { createdAt: "desc" }, include: { benchmarks: true } });
    expect(run.benchmarks.map((b) => [b.benchmark, b.total]).sort()).toEqual([
      ["bbq", 3],
      ["crows_pairs", 3],
    ]);
    expect((run.suite as { benchmarks: { sample: string }[] }).benchmarks[0].sample).toBe("seeded");
  });

  it("a custom suite needs a benchmark; an unknown scorer name is a field error", async () => {
    const { createRunAction } = await import("@/app/runs/actions");
    const none = await createRunAction(null, form({ modelId, suite: "custom" }));
    expect(none && !none.ok && none.fieldErrors.benchmarks).toMatch(/at least one/);
    const scorer = await createRunAction(null, form({ modelId, suite: "custom", benchmarks: "rtp_toxicity", scorerName: "nope" }));
    expect(scorer && !scorer.ok && scorer.fieldErrors.scorerName).toMatch(/No scorer named "nope"/);
  });

  it("the paper suite reports what cannot be resolved as a form error, and creates nothing", async () => {
    const { createRunAction } = await import("@/app/runs/actions");
    const r = await createRunAction(null, form({ modelId, suite: "paper" }));
    // The fixtures' Dolly-200 file has no English test rows: the paper suite's textual step cannot be built.
    expect(r && !r.ok && r.formError).toBe('the prompt set "Dolly-200 test" is empty');
    expect(await db.prisma.run.count()).toBe(1); // only the custom run of the first test
  });
});
