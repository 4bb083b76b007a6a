// What a build was made from: a hash of every source file's path, size and modification time under the given roots
// (node_modules skipped). npm start rebuilds the dashboard, and the CLI launcher its bundle, when it changes.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export function sourceStamp(root, roots) {
  const entries = [];
  const walk = (p) => {
    let st;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) if (name !== "node_modules") walk(path.join(p, name));
    } else {
      entries.push(`${path.relative(root, p)}:${st.size}:${st.mtimeMs}`);
    }
  };
  for (const r of roots) walk(path.join(root, r));
  return createHash("sha256").update(entries.join("\n")).digest("hex");
}
