// The browser tests' second dashboard, one with accounts (playwright.config.ts): adds the test users to its fresh
// LINEAGE_HOME with `lineage users add` (as an operator would), then runs `npm start`'s script. Test-only.
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");
export const E2E_USERS = [
  { email: "admin@example.org", role: "admin", password: "admin-password-1" },
  { email: "editor@example.org", role: "editor", password: "editor-password-1" },
  { email: "viewer@example.org", role: "viewer", password: "viewer-password-1" },
  { email: "limited@example.org", role: "viewer", password: "limited-password-1" },
];

for (const u of E2E_USERS) {
  const r = spawnSync(process.execPath, [path.join(root, "bin/lineage.mjs"), "users", "add", "--email", u.email, "--role", u.role, "--password-stdin"], {
    cwd: root,
    input: `${u.password}\n`,
    encoding: "utf8",
  });
  if (r.status !== 0) {
    console.error(`cannot add ${u.email}: ${r.stderr}`);
    process.exit(1);
  }
}
const child = spawn(process.execPath, [path.join(root, "scripts/start.mjs")], { cwd: root, stdio: "inherit" });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code) => process.exit(code ?? 1));
