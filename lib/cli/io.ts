import { once } from "node:events";
import fs from "node:fs/promises";
import type { Readable, Writable } from "node:stream";
import { errorOfKind } from "@/lib/errors";

/** The streams a command reads and writes; tests pass their own. */
export interface CliIO {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

/** A command takes its own arguments (after the command name) and returns the exit code. */
export type Command = (args: string[], io: CliIO) => Promise<number>;

/** Exit code for bad input or bad usage. */
export const EXIT_BAD_INPUT = 2;

/**
 * Thrown by commands for an error the user must fix (`bad_input`): printed on one line, exit 2. Errors of the library
 * need no wrapping: every LineageError is mapped to its exit code by kind (EXIT_CODES in program.ts).
 */
export class UsageError extends errorOfKind("bad_input") {}

/** A problem of the environment (database locked, unreachable, not migrated): exit code 1. */
export class EnvironmentError extends errorOfKind("environment") {}

/** Writes chunks to a stream as they are produced, waiting whenever it asks to (a large export through a pipe). */
export async function writeChunks(out: Writable, chunks: AsyncIterable<string>): Promise<void> {
  for await (const chunk of chunks) if (!out.write(chunk)) await once(out, "drain");
}

/**
 * Writes chunks to a file as they are produced. A new or regular file is written under a temporary name renamed at
 * the end: whole or not at all. Anything else (a symbolic link, /dev/stdout, a pipe such as >(gzip > x)) is written
 * through, as a plain write would.
 */
export async function writeChunksToFile(file: string, chunks: AsyncIterable<string>): Promise<void> {
  const st = await fs.lstat(file).catch(() => null);
  if (st && !st.isFile()) {
    const out = await fs.open(file, "w");
    try {
      for await (const chunk of chunks) await out.write(chunk);
    } finally {
      await out.close();
    }
    return;
  }
  const tmp = `${file}.${process.pid}.partial`;
  const handle = await fs.open(tmp, "w");
  try {
    for await (const chunk of chunks) await handle.write(chunk);
    await handle.close();
    await fs.rename(tmp, file);
  } catch (err) {
    await handle.close().catch(() => undefined);
    await fs.rm(tmp, { force: true });
    throw err;
  }
}
