// Values of command-line options, checked: commander parses the flags (lib/cli/program.ts); these turn a string
// into the number a command needs, or a UsageError that names the flag.
import { UsageError } from "./io";

/** An integer option (absent → undefined), refused with a message when it is not one. */
export function intOption(value: unknown, name: string, min = Number.MIN_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== "string" || !Number.isInteger(n) || n < min)
    throw new UsageError(`--${name} must be an integer${min > Number.MIN_SAFE_INTEGER ? ` ≥ ${min}` : ""} (got "${String(value)}")`);
  return n;
}

/** A finite number option (absent → undefined), refused with a message otherwise. */
export function numberOption(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== "string" || value.trim() === "" || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number (got "${String(value)}")`);
  return n;
}

/** A string option, or undefined. */
export function stringOption(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
