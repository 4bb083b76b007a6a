// A damaged embedded database folder is said to be damaged, with what is missing and what to do — not
// "Aborted(). Build with -sASSERTIONS", and not a healthy start whose pages then fail.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/lib/db/client";
import { DatabaseDamagedError } from "@/lib/db/damage";
import { runCli } from "../support/cli";

let pristine: string;
let modelFile: string;

beforeAll(async () => {
  pristine = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-damage-"));
  const db = await openDatabase({ home: pristine });
  await db.prisma.model.create({ data: { name: "kept" } });
  const { rows } = await db.sql.query<{ p: string }>(`SELECT pg_relation_filepath('"Model"') AS p`);
  modelFile = rows[0].p;
  await db.close();
});

function copy(): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "lineage-damage-copy-"));
  fs.cpSync(path.join(pristine, "db"), path.join(home, "db"), { recursive: true });
  return home;
}

describe("a damaged embedded database", () => {
  it("a missing pg_control or WAL segment: says which, and what to do", async () => {
    const noControl = copy();
    fs.rmSync(path.join(noControl, "db/global/pg_control"));
    const err = await openDatabase({ home: noControl }).catch((e) => e);
    expect(err).toBeInstanceOf(DatabaseDamagedError);
    expect(err.message).toMatch(/is damaged: missing global\/pg_control\. .*Restore LINEAGE_HOME from a backup/);
    expect(err.message).not.toMatch(/ASSERTIONS/);

    const noWal = copy();
    for (const f of fs.readdirSync(path.join(noWal, "db/pg_wal"))) if (/^[0-9A-F]{24}$/.test(f)) fs.rmSync(path.join(noWal, "db/pg_wal", f));
    expect((await openDatabase({ home: noWal }).catch((e) => e)).message).toMatch(/missing pg_wal\/ \(no WAL segment\)/);
  });

  it("a missing table file fails the start with the table's name; `lineage db check` lists it and exits 1", async () => {
    const home = copy();
    fs.rmSync(path.join(home, "db", modelFile));
    const err = await openDatabase({ home }).catch((e) => e);
    expect(err).toBeInstanceOf(DatabaseDamagedError);
    expect(err.message).toMatch(/table Model: could not open file/);
    const env = { LINEAGE_HOME: home, DATABASE_URL: "", LINEAGE_SECRET_KEY: "damage-test" };
    const r = await runCli(["db", "check"], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/DAMAGED +Model +could not open file/);
    expect(r.stdout).toMatch(/ok +Run +0 rows/);
  });

  it("a whole folder checks clean, and a backup copies it while nobody has it open", async () => {
    const home = copy();
    const env = { LINEAGE_HOME: home, DATABASE_URL: "", LINEAGE_SECRET_KEY: "damage-test" };
    const check = await runCli(["db", "check", "--json"], env);
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout.trim().split("\n").pop()!)).toMatchObject({ ok: true });
    const dest = path.join(home, "backup");
    const backup = await runCli(["db", "backup", dest], env);
    expect(backup.code, backup.stderr).toBe(0);
    const restored = await openDatabase({ home: dest });
    expect(await restored.prisma.model.count({ where: { name: "kept" } })).toBe(1);
    await restored.close();
  });
});
