import { describe, expect, it } from "vitest";
import { adjustPValues, benjaminiHochberg, holm } from "./multiple-comparisons";

const close = (got: (number | null)[], want: (number | null)[]) => {
  expect(got).toHaveLength(want.length);
  got.forEach((g, i) => (want[i] === null ? expect(g).toBeNull() : expect(g).toBeCloseTo(want[i]!, 12)));
};

describe("Holm", () => {
  it("adjusts step-down and keeps the input order (values worked out by hand)", () => {
    // Sorted: 0.005 (×4 = 0.02), 0.01 (×3 = 0.03), 0.03 (×2 = 0.06), 0.04 (×1 = 0.04 → running max 0.06).
    close(holm([0.01, 0.04, 0.03, 0.005]), [0.03, 0.06, 0.06, 0.02]);
    // Holm's procedure at α = 0.05: 0.005 < 0.05/4, 0.01 < 0.05/3, 0.03 ≥ 0.05/2 stops: exactly the adjusted < α.
    expect(holm([0.01, 0.04, 0.03, 0.005]).map((p) => p! < 0.05)).toEqual([true, false, false, true]);
  });

  it("caps at 1, handles ties, and leaves missing p-values out of the family", () => {
    close(holm([0.6, 0.7]), [1, 1]);
    close(holm([0.01, 0.01, 0.01]), [0.03, 0.03, 0.03]);
    // m = 2, not 3: the null is no test.
    close(holm([0.02, null, 0.5]), [0.04, null, 0.5]);
    close(holm([undefined, Number.NaN]), [null, null]);
    close(holm([]), []);
    close(holm([0.3]), [0.3]);
  });

  it("refuses p-values outside [0, 1]", () => {
    expect(() => holm([0.1, 1.5])).toThrow(RangeError);
    expect(() => holm([-0.1])).toThrow(/outside/);
  });
});

describe("Benjamini–Hochberg", () => {
  it("adjusts step-up (values worked out by hand)", () => {
    // m·p/k: 0.005·4/1 = 0.02, 0.01·4/2 = 0.02, 0.03·4/3 = 0.04, 0.04·4/4 = 0.04; running minimum from the top.
    close(benjaminiHochberg([0.01, 0.04, 0.03, 0.005]), [0.02, 0.04, 0.04, 0.02]);
    close(benjaminiHochberg([0.6, 0.7]), [0.7, 0.7]);
    close(benjaminiHochberg([0.01, 0.01, 0.01]), [0.01, 0.01, 0.01]);
    close(benjaminiHochberg([0.02, null, 0.5]), [0.04, null, 0.5]);
  });
});

describe("adjustPValues", () => {
  it("dispatches on the correction; none returns the p-values", () => {
    close(adjustPValues([0.01, null, 0.04], "none"), [0.01, null, 0.04]);
    close(adjustPValues([0.01, 0.04], "holm"), [0.02, 0.04]);
    close(adjustPValues([0.01, 0.04], "bh"), [0.02, 0.04]);
  });
});
