/**
 * Shared low-level reading: bytes → text, line iteration, JSON / JSON Lines with precise error positions, and
 * typed field access that fails with a BenchmarkFormatError. Everything here is linear in the input size.
 */
import { BenchmarkFormatError, type FormatPosition } from "./errors";

export type TextInput = string | Uint8Array;

/** Decodes UTF-8 (strict: invalid bytes are a format error, not silent U+FFFD) and drops a leading BOM. */
export function decodeText(input: TextInput, file: string): string {
  if (typeof input === "string") return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  try {
    // TextDecoder strips the BOM itself (ignoreBOM defaults to false).
    return new TextDecoder("utf-8", { fatal: true }).decode(input);
  } catch {
    throw new BenchmarkFormatError(file, {}, "expected UTF-8 text");
  }
}

export interface TextLine {
  /** 1-based line number. */
  line: number;
  /** Line content without the line terminator (`\n` or `\r\n`). */
  text: string;
}

/** Splits into lines (`\n`, with a `\r` before it removed). A final terminator does not start an extra line. */
export function splitLines(text: string): TextLine[] {
  const out: TextLine[] = [];
  let start = 0;
  let line = 1;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    out.push({ line, text: text.slice(start, stop) });
    start = end + 1;
    line++;
  }
  return out;
}

/**
 * Why PostgreSQL cannot store this text, or null: it refuses NUL (U+0000) in text and JSON, and an unpaired
 * UTF-16 surrogate has no UTF-8 form. Checked when a file is read, so the user gets the line, not a database error.
 */
export function unstorableText(s: string): string | null {
  if (s.includes("\u0000")) return "a NUL character (U+0000), which the database cannot store";
  const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.exec(s);
  if (lone) return `an unpaired surrogate (U+${lone[0].charCodeAt(0).toString(16).toUpperCase()}), which is not valid Unicode`;
  return null;
}

/** The first string anywhere in a parsed value that the database cannot store, with where it is. */
export function findUnstorable(value: unknown, path = ""): string | null {
  if (typeof value === "string") {
    const why = unstorableText(value);
    return why ? `${path ? `"${path}" holds ` : ""}${why}` : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const r = findUnstorable(value[i], `${path}[${i}]`);
      if (r) return r;
    }
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      const r = findUnstorable(k, path) ?? findUnstorable(v, path ? `${path}.${k}` : k);
      if (r) return r;
    }
  }
  return null;
}

export function isBlank(s: string): boolean {
  return s.trim() === "";
}

/** Parses a whole-file JSON document; a syntax error names its line and column. */
export function parseJsonDocument(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const loc = locateJsonSyntaxError(text);
    const { line, column } = offsetToLineColumn(text, loc.offset);
    throw new BenchmarkFormatError(file, { line, column }, `expected valid JSON (${loc.reason})`);
  }
}

export interface JsonLine {
  line: number;
  value: unknown;
}

/** Parses JSON Lines: one JSON value per non-blank line. Blank lines (e.g. a trailing one) are skipped. */
export function parseJsonLines(text: string, file: string): JsonLine[] {
  const out: JsonLine[] = [];
  for (const { line, text: content } of splitLines(text)) {
    if (isBlank(content)) continue;
    let value: unknown;
    try {
      value = JSON.parse(content);
    } catch {
      const loc = locateJsonSyntaxError(content);
      throw new BenchmarkFormatError(file, { line, column: loc.offset + 1 }, `expected one JSON value per line (${loc.reason})`);
    }
    out.push({ line, value });
  }
  return out;
}

/** True when the first non-whitespace character is `c` (used to tell a JSON array file from JSON Lines). */
export function startsWithChar(text: string, c: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === " " || ch === "\t" || ch === "\r" || ch === "\n") continue;
    return ch === c;
  }
  return false;
}

export function offsetToLineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Finds where and why `text` is not valid JSON. JSON.parse does not report a position on every Node version,
 * so on failure we re-scan with a small validator (only ever run on the error path).
 */
export function locateJsonSyntaxError(text: string): { offset: number; reason: string } {
  let i = 0;
  const n = text.length;
  class Fail {
    constructor(
      readonly offset: number,
      readonly reason: string,
    ) {}
  }
  const describe = (k: number) => (k >= n ? "end of input" : `unexpected ${JSON.stringify(text[k])}`);
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else throw new Fail(i, describe(i));
  };
  const string = () => {
    i++; // opening quote
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return;
      }
      if (c < 32) throw new Fail(i, "control character in string");
      if (c === 92) {
        const e = text[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw new Fail(i, "bad \\u escape");
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else throw new Fail(i, "bad escape in string");
      } else i++;
    }
    throw new Fail(n, "unterminated string");
  };
  const number = () => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === "" || m[0] === "-") throw new Fail(i, describe(i));
    i += m[0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') throw new Fail(i, `expected a property name, ${describe(i)}`);
        string();
        ws();
        if (text[i] !== ":") throw new Fail(i, `expected ':', ${describe(i)}`);
        i++;
        value();
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return;
        }
        throw new Fail(i, `expected ',' or '}', ${describe(i)}`);
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return;
        }
        throw new Fail(i, `expected ',' or ']', ${describe(i)}`);
      }
    }
    if (c === '"') return string();
    if (c === "t") return literal("true");
    if (c === "f") return literal("false");
    if (c === "n") return literal("null");
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return number();
    throw new Fail(i, describe(i));
  };
  try {
    value();
    ws();
    if (i < n) return { offset: i, reason: `unexpected content after the JSON value, ${describe(i)}` };
    // The validator accepted it (e.g. a lone BOM case): fall back to the start.
    return { offset: 0, reason: "invalid JSON" };
  } catch (e) {
    if (e instanceof Fail) return { offset: e.offset, reason: e.reason };
    return { offset: 0, reason: "invalid JSON (nested too deeply to locate)" };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Typed field access. `at` is where the record lives (line or record index) for the error message.

export interface FieldContext {
  file: string;
  at: FormatPosition;
}

export type JsonObject = Record<string, unknown>;

export function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") {
    const s = v.length > 40 ? `${v.slice(0, 40)}…` : v;
    return `string ${JSON.stringify(s)}`;
  }
  if (typeof v === "object") return "an object";
  return `${typeof v} ${String(v)}`;
}

export function fail(ctx: FieldContext, expected: string): never {
  throw new BenchmarkFormatError(ctx.file, ctx.at, expected);
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function expectObject(v: unknown, ctx: FieldContext, what = "a JSON object"): JsonObject {
  if (!isObject(v)) fail(ctx, `expected ${what}, found ${describeValue(v)}`);
  return v;
}

function field(obj: JsonObject, key: string, ctx: FieldContext, path: string): unknown {
  if (!(key in obj)) fail(ctx, `expected field ${JSON.stringify(path)}`);
  return obj[key];
}

export function getString(obj: JsonObject, key: string, ctx: FieldContext, path = key): string {
  const v = field(obj, key, ctx, path);
  if (typeof v !== "string") fail(ctx, `expected field ${JSON.stringify(path)} to be a string, found ${describeValue(v)}`);
  return v;
}

export function getOptionalString(obj: JsonObject, key: string, ctx: FieldContext, path = key): string | undefined {
  if (!(key in obj) || obj[key] === undefined) return undefined;
  return getString(obj, key, ctx, path);
}

export function getNumber(obj: JsonObject, key: string, ctx: FieldContext, path = key): number {
  const v = field(obj, key, ctx, path);
  if (typeof v !== "number" || !Number.isFinite(v)) fail(ctx, `expected field ${JSON.stringify(path)} to be a number, found ${describeValue(v)}`);
  return v;
}

export function getNullableNumber(obj: JsonObject, key: string, ctx: FieldContext, path = key): number | null {
  const v = field(obj, key, ctx, path);
  if (v === null) return null;
  if (typeof v !== "number" || !Number.isFinite(v)) fail(ctx, `expected field ${JSON.stringify(path)} to be a number or null, found ${describeValue(v)}`);
  return v;
}

export function getInteger(obj: JsonObject, key: string, ctx: FieldContext, path = key): number {
  const v = field(obj, key, ctx, path);
  if (typeof v !== "number" || !Number.isInteger(v)) fail(ctx, `expected field ${JSON.stringify(path)} to be an integer, found ${describeValue(v)}`);
  return v;
}

export function getBoolean(obj: JsonObject, key: string, ctx: FieldContext, path = key): boolean {
  const v = field(obj, key, ctx, path);
  if (typeof v !== "boolean") fail(ctx, `expected field ${JSON.stringify(path)} to be a boolean, found ${describeValue(v)}`);
  return v;
}

export function getObject(obj: JsonObject, key: string, ctx: FieldContext, path = key): JsonObject {
  const v = field(obj, key, ctx, path);
  if (!isObject(v)) fail(ctx, `expected field ${JSON.stringify(path)} to be an object, found ${describeValue(v)}`);
  return v;
}

export function getArray(obj: JsonObject, key: string, ctx: FieldContext, path = key): unknown[] {
  const v = field(obj, key, ctx, path);
  if (!Array.isArray(v)) fail(ctx, `expected field ${JSON.stringify(path)} to be an array, found ${describeValue(v)}`);
  return v;
}

export function getStringArray(obj: JsonObject, key: string, ctx: FieldContext, path = key): string[] {
  const arr = getArray(obj, key, ctx, path);
  arr.forEach((v, k) => {
    if (typeof v !== "string") fail(ctx, `expected field ${JSON.stringify(`${path}[${k}]`)} to be a string, found ${describeValue(v)}`);
  });
  return arr as string[];
}

export function getOneOf<T extends string>(obj: JsonObject, key: string, allowed: readonly T[], ctx: FieldContext, path = key): T {
  const v = getString(obj, key, ctx, path);
  if (!(allowed as readonly string[]).includes(v))
    fail(ctx, `expected field ${JSON.stringify(path)} to be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}, found ${describeValue(v)}`);
  return v as T;
}

/** The file name alone (for messages): parsers are given names, loaders pass the base name of the real path. */
export function baseName(p: string): string {
  const k = Math.max(p.lastIndexOf("/"), p.lastIndexOf("\\"));
  return k === -1 ? p : p.slice(k + 1);
}
