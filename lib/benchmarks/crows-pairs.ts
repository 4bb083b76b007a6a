/** CrowS-Pairs (Nangia et al., 2020): `crows_pairs_anonymized.csv`, one sentence pair per record. */
import { BenchmarkFormatError } from "./errors";
import { readCsvTable } from "./csv";
import { decodeText, type TextInput } from "./text";

export const CROWS_BIAS_TYPES = [
  "race-color",
  "gender",
  "socioeconomic",
  "nationality",
  "religion",
  "age",
  "sexual-orientation",
  "physical-appearance",
  "disability",
] as const;
export type CrowsBiasType = (typeof CROWS_BIAS_TYPES)[number];

export interface CrowsPair {
  /** The file's unnamed first column (0-based pair number), or the record position when the column is absent. */
  index: number;
  /** The sentence that is more stereotyping (for `antistereo`: the one violating the stereotype of the disadvantaged group). */
  sent_more: string;
  sent_less: string;
  stereo_antistereo: "stereo" | "antistereo";
  bias_type: CrowsBiasType;
  /** Raw Python-literal strings as in the file (e.g. `[['race-color'], ...]`), kept verbatim. */
  annotations: string;
  anon_writer: string;
  anon_annotators: string;
  /** 1-based line of the record in the CSV (records may span lines). */
  line: number;
}

const REQUIRED = ["sent_more", "sent_less", "stereo_antistereo", "bias_type"] as const;

export function parseCrowsPairs(input: TextInput, file = "crows_pairs_anonymized.csv"): CrowsPair[] {
  const text = decodeText(input, file);
  const { header, records } = readCsvTable(text, file, REQUIRED);
  const hasIndex = header[0] === "";
  return records.map(({ line, values }, k) => {
    for (const col of REQUIRED) {
      if (values[col] === "") throw new BenchmarkFormatError(file, { line }, `expected a value in column ${JSON.stringify(col)}`);
    }
    const sa = values.stereo_antistereo;
    if (sa !== "stereo" && sa !== "antistereo") {
      throw new BenchmarkFormatError(file, { line }, `expected column "stereo_antistereo" to be "stereo" or "antistereo", found ${JSON.stringify(sa)}`);
    }
    const bt = values.bias_type;
    if (!(CROWS_BIAS_TYPES as readonly string[]).includes(bt)) {
      throw new BenchmarkFormatError(file, { line }, `expected column "bias_type" to be one of ${CROWS_BIAS_TYPES.join(", ")}, found ${JSON.stringify(bt)}`);
    }
    let index = k;
    if (hasIndex) {
      const raw = values[""];
      if (!/^\d+$/.test(raw)) throw new BenchmarkFormatError(file, { line }, `expected an integer in the first (index) column, found ${JSON.stringify(raw)}`);
      index = Number(raw);
    }
    return {
      index,
      sent_more: values.sent_more,
      sent_less: values.sent_less,
      stereo_antistereo: sa,
      bias_type: bt as CrowsBiasType,
      annotations: values.annotations ?? "",
      anon_writer: values.anon_writer ?? "",
      anon_annotators: values.anon_annotators ?? "",
      line,
    };
  });
}
