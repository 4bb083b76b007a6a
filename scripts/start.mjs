#!/usr/bin/env node
// `npm start`: builds the dashboard when the sources changed since the last build, then serves it on PORT
// (default 3000) of HOST (default 127.0.0.1; on another address everyone signs in, see scripts/listen.mjs) with the
// embedded database unless DATABASE_URL is set.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { resolveListenHost, urlOf } from "./listen.mjs";
import { sourceStamp } from "./source-stamp.mjs";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const stampFile = path.join(root, ".next", "lineage-source-stamp");
const sourceRoots = ["app", "components", "lib", "public", "instrumentation.ts", "proxy.ts", "next.config.mjs", "package-lock.json", "tsconfig.json"];

// Refused before building: a start that is going to be refused should not take a build's time first.
const listen = resolveListenHost(process.env);
if (!listen.ok) {
  console.error(`[lineage] ${listen.message}`);
  process.exit(1);
}

const stamp = sourceStamp(root, sourceRoots);
const built = fs.existsSync(path.join(root, ".next", "BUILD_ID")) && fs.existsSync(stampFile) && fs.readFileSync(stampFile, "utf8") === stamp;
if (!built) {
  console.log("[lineage] building the dashboard (first start or sources changed)…");
  const r = spawnSync(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
  fs.writeFileSync(stampFile, stamp);
}

const port = process.env.PORT || "3000";
if (listen.loopback) {
  console.log(
    `[lineage] starting on ${urlOf(listen.host, port)}, reachable from this machine only (HOST=${listen.host}; see "Running for one person" in README.md)`,
  );
} else if (!listen.open) {
  console.log(`[lineage] starting on ${urlOf(listen.host, port)} for a team: everyone signs in (see "Running for a team" in README.md)`);
} else {
  console.warn(
    `[lineage] WARNING: listening on ${urlOf(listen.host, port)} WITHOUT SIGN-IN (LINEAGE_ALLOW_UNAUTHENTICATED_NETWORK is set): ` +
      `anyone who can reach this port has full control of the dashboard and its stored keys.`,
  );
}
console.log(
  `[lineage] answering requests addressed to ${process.env.LINEAGE_URL?.trim() ? `${process.env.LINEAGE_URL.trim()} or ` : ""}localhost, 127.0.0.1 or [::1] on port ${port}; any other Host gets 403`,
);
// PORT goes to the server too: the Host check (proxy.ts) compares against the served port.
const child = spawn(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "start", "-p", port, "-H", listen.host], {
  cwd: root,
  stdio: "inherit",
  // LINEAGE_LISTEN_HOST tells the server whether it is on loopback (lib/access/roles.ts: sign-in on any other address).
  env: { ...process.env, PORT: port, LINEAGE_LISTEN_HOST: listen.host },
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
