import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { writeChunksToFile } from "./io";

async function* chunks(parts: string[], failAfter?: number): AsyncGenerator<string> {
  for (const [i, p] of parts.entries()) {
    if (i === failAfter) throw new Error("the database went away");
    yield p;
  }
}

describe("writeChunksToFile", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-write-chunks-"));
  afterEach(() => {
    for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f), { force: true });
  });

  it("writes a new or regular file whole, through a temporary name", async () => {
    const file = path.join(dir, "out.jsonl");
    await writeChunksToFile(file, chunks(["a\n", "b\n"]));
    expect(fs.readFileSync(file, "utf8")).toBe("a\nb\n");
    await writeChunksToFile(file, chunks(["c\n"]));
    expect(fs.readFileSync(file, "utf8")).toBe("c\n");
    expect(fs.readdirSync(dir)).toEqual(["out.jsonl"]);
  });

  it("leaves the old file and no partial one when the chunks fail part-way", async () => {
    const file = path.join(dir, "out.jsonl");
    fs.writeFileSync(file, "old\n");
    await expect(writeChunksToFile(file, chunks(["a\n", "b\n"], 1))).rejects.toThrow(/went away/);
    expect(fs.readFileSync(file, "utf8")).toBe("old\n");
    expect(fs.readdirSync(dir)).toEqual(["out.jsonl"]);
  });

  it("writes through a symbolic link (as a plain write would) instead of replacing it", async () => {
    const target = path.join(dir, "target.jsonl");
    const link = path.join(dir, "link.jsonl");
    fs.writeFileSync(target, "old\n");
    fs.symlinkSync(target, link);
    await writeChunksToFile(link, chunks(["new\n"]));
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(target, "utf8")).toBe("new\n");
  });
});
