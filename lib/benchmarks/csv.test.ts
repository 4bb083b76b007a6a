import { describe, expect, it } from "vitest";

import { parseCsv, readCsvTable } from "./csv";
import { BenchmarkFormatError } from "./errors";

const fields = (text: string) => parseCsv(text, "t.csv").map((r) => r.fields);

describe("parseCsv (RFC 4180)", () => {
  it("splits plain fields and ignores a final line break", () => {
    expect(fields("a,b,c\n1,2,3\n")).toEqual([
      ["a", "b", "c"],
      ["1", "2", "3"],
    ]);
    expect(fields("a,b\n1,2")).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
  });

  it("keeps commas, line breaks and doubled quotes inside quoted fields", () => {
    const rows = parseCsv('x,y\n"1, one","say ""hi""\nthere"\n2,z\n', "t.csv");
    expect(rows.map((r) => r.fields)).toEqual([
      ["x", "y"],
      ["1, one", 'say "hi"\nthere'],
      ["2", "z"],
    ]);
    // The record after a multi-line field starts on the right physical line.
    expect(rows.map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it("accepts CRLF and empty fields, including a trailing empty field", () => {
    expect(fields('a,,c\r\n"",x,\r\n')).toEqual([
      ["a", "", "c"],
      ["", "x", ""],
    ]);
    expect(fields("a,")).toEqual([["a", ""]]);
  });

  it("counts CRLF inside a quoted field as one line", () => {
    const rows = parseCsv('h\r\n"a\r\nb"\r\nc\r\n', "t.csv");
    expect(rows.map((r) => [r.line, r.fields[0]])).toEqual([
      [1, "h"],
      [2, "a\r\nb"],
      [4, "c"],
    ]);
  });

  it("keeps a stray quote inside an unquoted field literally (as Python's csv does)", () => {
    expect(fields('5" screen,x\n')).toEqual([['5" screen', "x"]]);
  });

  it("reports an unterminated quoted field at the line where it opened", () => {
    expect(() => parseCsv('a,b\n1,"open\nstill open\n', "t.csv")).toThrow("t.csv line 2: expected a closing quote");
  });

  it("reports garbage after a closing quote", () => {
    expect(() => parseCsv('a\n"x"y\n', "t.csv")).toThrow(/t\.csv line 2: expected ',' or end of line after a closing quote/);
  });

  it("parses large inputs", () => {
    const row = '"a, b",c,"d ""e"""\n';
    const text = row.repeat(200_000);
    const rows = parseCsv(text, "big.csv");
    expect(rows).toHaveLength(200_000);
    expect(rows[199_999]).toEqual({ line: 200_000, fields: ["a, b", "c", 'd "e"'] });
  });
});

describe("readCsvTable", () => {
  it("names a missing header column", () => {
    expect(() => readCsvTable("a,b\n1,2\n", "t.csv", ["a", "c"])).toThrow('t.csv line 1: expected column "c" in the header');
  });

  it("names the first missing column of a short record and its line", () => {
    const err = (() => {
      try {
        readCsvTable("a,b,c\n1,2,3\n4\n", "t.csv", []);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(BenchmarkFormatError);
    expect((err as BenchmarkFormatError).message).toBe('t.csv line 3: expected column "b" (found 1 of 3 fields)');
    expect((err as BenchmarkFormatError).line).toBe(3);
  });

  it("rejects a record with too many fields and skips blank lines", () => {
    expect(() => readCsvTable("a,b\n1,2,3\n", "t.csv", [])).toThrow("t.csv line 2: expected 2 fields, found 3");
    expect(readCsvTable("a,b\n\n1,2\n", "t.csv", []).records).toEqual([{ line: 3, values: { a: "1", b: "2" } }]);
  });
});
