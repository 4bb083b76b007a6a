// Entry of the `lineage` command line (bin/lineage.mjs): the commands are declared in program.ts.
import type { CliIO } from "./io";
import { run } from "./program";

export function main(argv: string[], io: CliIO = process): Promise<number> {
  return run(argv, io);
}
