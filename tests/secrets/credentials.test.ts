// Secret hygiene: which variables may hold a key, what is shown of a stored key, where the key file lives, and that
// the embedded database's folders are private.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, isAllowedKeyVariable, keyVariablePatterns, last4, secretKey, secretKeyFile } from "@/lib/credentials";
import { openDatabase } from "@/lib/db/client";

const saved = { ...process.env };
afterEach(() => {
  for (const k of ["LINEAGE_SECRET_KEY", "LINEAGE_SECRET_KEY_FILE", "LINEAGE_HOME", "DATABASE_URL", "LINEAGE_KEY_VARIABLES"]) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));
const mode = (p: string) => fs.statSync(p).mode & 0o777;

describe("key variables", () => {
  it("default to names ending in _API_KEY or _TOKEN, never LINEAGE_* or DATABASE_URL", () => {
    const env = {};
    expect(keyVariablePatterns(env)).toEqual(["*_API_KEY", "*_TOKEN"]);
    for (const n of ["OPENAI_API_KEY", "PERSPECTIVE_API_KEY", "HF_TOKEN", "GITHUB_TOKEN"]) expect(isAllowedKeyVariable(n, env), n).toBe(true);
    for (const n of ["PATH", "HOME", "API_KEY", "OPENAI_KEY", "DATABASE_URL", "LINEAGE_SECRET_KEY", "LINEAGE_SCORER_API_KEY", "1_API_KEY", "A-B_TOKEN", ""])
      expect(isAllowedKeyVariable(n, env), n).toBe(false);
  });

  it("follow LINEAGE_KEY_VARIABLES: names and *-globs, replacing the default", () => {
    const env = { LINEAGE_KEY_VARIABLES: " MY_KEY , vllm_* ,*.x" };
    expect(keyVariablePatterns(env)).toEqual(["MY_KEY", "vllm_*", "*.x"]);
    expect(isAllowedKeyVariable("MY_KEY", env)).toBe(true);
    expect(isAllowedKeyVariable("VLLM_SECRET", env)).toBe(true);
    expect(isAllowedKeyVariable("OPENAI_API_KEY", env)).toBe(false);
    expect(isAllowedKeyVariable("MY_KEYS", env)).toBe(false);
    // "." in a pattern is a dot, not any character; names cannot hold one.
    expect(isAllowedKeyVariable("AB_x", env)).toBe(false);
    expect(isAllowedKeyVariable("DATABASE_URL", { LINEAGE_KEY_VARIABLES: "*" })).toBe(false);
    expect(isAllowedKeyVariable("LINEAGE_SECRET_KEY", { LINEAGE_KEY_VARIABLES: "LINEAGE_SECRET_KEY" })).toBe(false);
  });
});

describe("what is shown of a stored key", () => {
  it("is its last four characters, and nothing of a key of 8 characters or fewer", () => {
    expect(last4("sk-0123456789abcdef")).toBe("cdef");
    expect(last4("123456789")).toBe("6789");
    for (const k of ["", "a", "abcd", "abcdefgh"]) expect(last4(k), k).toBe("");
  });
});

describe("the key file", () => {
  it("is LINEAGE_SECRET_KEY_FILE when set, created 0600 in a 0700 folder on first use, outside LINEAGE_HOME", () => {
    delete process.env.LINEAGE_SECRET_KEY;
    delete process.env.DATABASE_URL;
    const home = tmp("lineage-home-");
    const file = path.join(tmp("lineage-keys-"), "nested", "lineage.key");
    process.env.LINEAGE_HOME = home;
    expect(secretKeyFile()).toBe(path.join(home, "secret.key"));
    process.env.LINEAGE_SECRET_KEY_FILE = file;
    expect(secretKeyFile()).toBe(file);
    const key = secretKey();
    expect(key).toHaveLength(32);
    expect(mode(file)).toBe(0o600);
    expect(mode(path.dirname(file))).toBe(0o700);
    expect(fs.existsSync(path.join(home, "secret.key"))).toBe(false);
    expect(decryptSecret(encryptSecret("sk-roundtrip-key"))).toBe("sk-roundtrip-key");
    expect(secretKey().equals(key)).toBe(true);
  });

  it("reads a key file given with PostgreSQL, never creates one there, and never names its path in errors", () => {
    delete process.env.LINEAGE_SECRET_KEY;
    process.env.DATABASE_URL = "postgresql://u:p@127.0.0.1:1/x";
    const dir = tmp("lineage-keys-");
    const file = path.join(dir, "missing.key");
    process.env.LINEAGE_SECRET_KEY_FILE = file;
    expect(() => secretKey()).toThrow(/cannot be read \(ENOENT\)/);
    expect(() => secretKey()).not.toThrow(dir);
    expect(fs.existsSync(file)).toBe(false);
    fs.writeFileSync(file, "a".repeat(64) + "\n");
    expect(secretKey()).toEqual(Buffer.alloc(32, 0xaa));
    delete process.env.LINEAGE_SECRET_KEY_FILE;
    expect(() => secretKey()).toThrow(/LINEAGE_SECRET_KEY is not set.*LINEAGE_SECRET_KEY_FILE/);
  });
});

describe("the embedded database's folders", () => {
  it("are created 0700, and an existing world-readable LINEAGE_HOME and db are tightened at open", async () => {
    const fresh = path.join(tmp("lineage-parent-"), "home");
    const db1 = await openDatabase({ home: fresh });
    await db1.close();
    expect(mode(fresh)).toBe(0o700);
    expect(mode(path.join(fresh, "db"))).toBe(0o700);

    const old = tmp("lineage-old-");
    fs.mkdirSync(path.join(old, "db"));
    fs.chmodSync(old, 0o755);
    fs.chmodSync(path.join(old, "db"), 0o755);
    const db2 = await openDatabase({ home: old });
    await db2.close();
    expect(mode(old)).toBe(0o700);
    expect(mode(path.join(old, "db"))).toBe(0o700);
  });
});
