// The help is generated from the declarations: every command answers --help (exit 0) listing every option it
// accepts, and a mistake is one line naming the command, exit 2.
import { Writable } from "node:stream";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { main } from "./main";
import { COMMANDS } from "./program";

function io() {
  const sink = () => {
    const w = new Writable({ write: (c, _e, cb) => (((w as unknown as { text: string }).text += String(c)), cb()) }) as Writable & { text: string };
    w.text = "";
    return w;
  };
  return { stdin: Readable.from([""]), stdout: sink(), stderr: sink() };
}

describe("lineage help", () => {
  it("lists every command, and `lineage help` and --help exit 0", async () => {
    for (const argv of [["help"], ["--help"]]) {
      const s = io();
      expect(await main(argv, s)).toBe(0);
      for (const c of COMMANDS) expect(s.stdout.text).toContain(c.name.split(" ")[0]);
    }
    const none = io();
    expect(await main([], none)).toBe(2);
    expect(none.stderr.text).toContain("Usage: lineage");
  });

  for (const c of COMMANDS) {
    it(`lineage ${c.name} --help lists all its options`, async () => {
      const s = io();
      expect(await main([...c.name.split(" "), "--help"], s)).toBe(0);
      for (const o of c.options ?? []) expect(s.stdout.text).toContain((typeof o === "string" ? o : o[0]).split(" ")[0]);
    });
  }

  it("profile --help documents --seed (it had drifted out of the hand-written help)", async () => {
    const s = io();
    await main(["profile", "--help"], s);
    expect(s.stdout.text).toMatch(/--seed <n>/);
  });

  it("an unknown command or option is one line naming the command, exit 2", async () => {
    const s = io();
    expect(await main(["runs", "show", "--bogus", "x"], s)).toBe(2);
    expect(s.stderr.text).toMatch(/^lineage runs show: unknown option '--bogus' \(see: lineage runs show --help\)\n$/);
    const u = io();
    expect(await main(["profil"], u)).toBe(2);
    expect(u.stderr.text).toMatch(/unknown command 'profil'/);
  });
});
