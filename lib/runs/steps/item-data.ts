// A stored item record as the item page, the items table and the run's notes read it: the log-likelihood steps store
// their scores packed (docs/storage.md) and each step's reader gives back the full record, whether the row was
// written packed or, before that, in full.
import { readBbqData } from "./bbq";
import { readCalibrationData } from "./calibration";
import { readCrowsData } from "./crows-pairs";
import { readStereoSetData } from "./stereoset";

const READERS: Partial<Record<string, (data: unknown) => unknown>> = {
  stereoset: readStereoSetData,
  crows_pairs: readCrowsData,
  bbq: readBbqData,
  hellaswag: (d) => readCalibrationData(d, "hellaswag"),
  openbookqa: (d) => readCalibrationData(d, "openbookqa"),
};

/** The item's full record; other benchmarks' records are returned as stored. */
export function readItemData(benchmark: string, data: unknown): unknown {
  const read = READERS[benchmark];
  return read && data !== null && data !== undefined ? read(data) : data;
}

/** What the run's notes count over a step's scored sentences and options (METRICS.md §2). */
export interface ScoredTextNote {
  skippedFirstToken?: string | null;
  nullTokens?: number;
  startToken?: string | null;
  uncoveredTail?: string;
}

/** The scored sentences and options of a log-likelihood item (none for other benchmarks or an unscored item). */
export function scoredTextsOf(benchmark: string, data: unknown): ScoredTextNote[] {
  if (data === null || data === undefined) return [];
  switch (benchmark) {
    case "stereoset":
      return readStereoSetData(data).options ?? [];
    case "crows_pairs":
      return readCrowsData(data).options ?? [];
    case "bbq":
      return readBbqData(data).options ?? [];
    case "hellaswag":
    case "openbookqa":
      return readCalibrationData(data, benchmark).scored ?? [];
    default:
      return [];
  }
}
