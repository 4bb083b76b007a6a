import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./io";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Parses a command's arguments strictly; any mistake becomes a UsageError that names it and shows the usage. */
export function parseCommandArgs<O extends Options>(args: string[], options: O, usage: string, positionals = 0) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: positionals > 0, strict: true });
  } catch (err) {
    throw new UsageError(`${(err as Error).message.split("\n")[0]}; ${usage}`);
  }
  if (parsed.positionals.length > positionals) throw new UsageError(`unexpected argument "${parsed.positionals[positionals]}"; ${usage}`);
  return parsed;
}

export function requireOption(value: string | undefined, name: string, usage: string): string {
  if (!value) throw new UsageError(`--${name} is required; ${usage}`);
  return value;
}

/** An integer option (absent → undefined), refused with a usage message when it is not one. */
export function intOption(value: string | undefined, name: string, usage: string, min = Number.MIN_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer${min > Number.MIN_SAFE_INTEGER ? ` ≥ ${min}` : ""} (got "${value}"); ${usage}`);
  return n;
}

/** A finite number option (absent → undefined), refused with a usage message otherwise. */
export function numberOption(value: string | undefined, name: string, usage: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number (got "${value}"); ${usage}`);
  return n;
}
