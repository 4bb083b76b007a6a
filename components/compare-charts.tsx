"use client";
// The figures of a comparison, drawn at their export size, with per-figure downloads and "Export all" (a ZIP
// assembled here: every figure as SVG, PDF and PNG, the tables from the export route, and the manifest).
import { useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { zip } from "@/lib/export/zip";
import { ChangeHeatmap } from "./charts/heatmap";
import { CategoryRadar, RADAR_NORMALISATION } from "./charts/radar";
import { DistributionChart, type HistogramData } from "./charts/distribution";
import { download, figurePdf, figurePng, figureSvg } from "./charts/export-figure";
import { Figure, FigureEmpty } from "./charts/figure";
import { GroupedBars } from "./charts/grouped-bars";
import { ReliabilityDiagram } from "./charts/reliability";
import type { ChartRow, ChartRun, FigureSettings, ReliabilityBin } from "./charts/types";
import { axisLabel } from "./charts/types";

export interface CompareChartsProps {
  runs: ChartRun[];
  refId: string;
  rows: ChartRow[];
  hist: { metric: string; xLabel: string; data: HistogramData } | null;
  distOptions: { id: string; label: string }[];
  reliability: { set: string; label: string; bins: (ReliabilityBin[] | null)[] }[];
  /** query string of the comparison (runs=…&ref=…) for the export route */
  query: string;
}

const CATEGORY_NAMES: Record<string, string> = { textual: "Textual", social_bias: "Social bias", toxicity: "Toxicity", calibration: "Calibration", other: "Other" };

export function CompareCharts({ runs, refId, rows, hist, distOptions, reliability, query }: CompareChartsProps) {
  const [settings, setSettings] = useState<FigureSettings>({ widthIn: 7, fontPt: 9 });
  const router = useRouter();
  const sp = useSearchParams();
  const units = [...new Set(rows.map((r) => r.unit || "score"))];
  const [unit, setUnit] = useState(units.includes("words") ? "words" : units[0]);
  const categories = [...new Set(rows.map((r) => r.category))].filter((c) => rows.filter((r) => r.category === c).length >= 3);
  const [category, setCategory] = useState(categories[0] ?? "textual");
  const [busy, setBusy] = useState<string | null>(null);
  const withChange = rows.filter((r) => r.changes.some((c) => c.pct !== null));
  const barRows = rows.filter((r) => (r.unit || "score") === unit).slice(0, 8);
  const radarRows = rows.filter((r) => r.category === category).slice(0, 12);
  const toxRows = rows.filter((r) => r.metric === "expected_max_toxicity" || r.metric === "toxicity_probability");

  const exportAll = async () => {
    setBusy("Collecting figures…");
    try {
      const files: { name: string; data: Uint8Array | string }[] = [];
      for (const canvas of Array.from(document.querySelectorAll<HTMLElement>("[data-figure-canvas]"))) {
        const name = canvas.dataset.figureCanvas!;
        const title = canvas.closest("figure")?.querySelector("figcaption strong")?.textContent ?? name;
        const svg = figureSvg(canvas, { widthIn: settings.widthIn, fontPt: settings.fontPt, title });
        files.push({ name: `figures/${name}.svg`, data: svg });
        files.push({ name: `figures/${name}.pdf`, data: figurePdf(svg, title) });
        files.push({ name: `figures/${name}@3x.png`, data: new Uint8Array(await (await figurePng(svg, 3)).arrayBuffer()) });
      }
      setBusy("Computing tables (paired statistics)…");
      for (const [format, file] of [["latex", "tables/comparison.tex"], ["csv", "tables/comparison.csv"], ["json", "tables/comparison.json"], ["manifest", "manifest.json"]] as const) {
        const res = await fetch(`/api/export/compare?${query}&format=${format}`);
        if (!res.ok) throw new Error(`${file}: ${(await res.text()).slice(0, 200)}`);
        files.push({ name: file, data: new Uint8Array(await res.arrayBuffer()) });
      }
      // The manifest also lists what is in the archive.
      const manifestAt = files.findIndex((f) => f.name === "manifest.json");
      const manifest = JSON.parse(new TextDecoder().decode(files[manifestAt].data as Uint8Array));
      manifest.figureSettings = { widthIn: settings.widthIn, fontPt: settings.fontPt, radarNormalisation: RADAR_NORMALISATION };
      manifest.files = files.map((f) => f.name);
      files[manifestAt] = { name: "manifest.json", data: JSON.stringify(manifest, null, 2) };
      download("lineage-comparison.zip", zip(files), "application/zip");
      setBusy(null);
    } catch (err) {
      setBusy(`Export failed: ${(err as Error).message}`);
    }
  };

  return (
    <section aria-labelledby="figures-h">
      <div className="page-head">
        <h2 id="figures-h">Figures</h2>
        <div className="actions" role="group" aria-label="Figure settings">
          <label>
            Width{" "}
            <select value={settings.widthIn} onChange={(e) => setSettings({ ...settings, widthIn: Number(e.target.value) })}>
              <option value={3.3}>single column (3.3 in)</option>
              <option value={7}>double column (7 in)</option>
            </select>
          </label>
          <label>
            Font size (pt){" "}
            <input type="number" min={6} max={14} step={0.5} value={settings.fontPt} onChange={(e) => setSettings({ ...settings, fontPt: Math.min(14, Math.max(6, Number(e.target.value) || 9)) })} style={{ width: "4.5rem" }} />
          </label>
          <button type="button" onClick={exportAll} disabled={busy !== null && !busy.startsWith("Export failed")}>
            Export all (ZIP)
          </button>
        </div>
      </div>
      {busy ? <p className={busy.startsWith("Export failed") ? "alert error" : "alert info"} role="status">{busy}</p> : null}
      <div className="figures">
        {withChange.length ? (
          <Figure name="change-heatmap" title="% change against the reference" note="blue: for the better, vermillion: for the worse, grey: neutral metric" settings={settings}>
            <ChangeHeatmap rows={withChange} runs={runs} refId={refId} settings={settings} />
          </Figure>
        ) : (
          <FigureEmpty title="% change against the reference">No metric has a value in both the reference and another run.</FigureEmpty>
        )}
        <div>
          <label className="figure-control">
            Metrics of unit{" "}
            <select value={unit} onChange={(e) => setUnit(e.target.value)}>
              {units.map((u) => (
                <option key={u} value={u}>{u}</option>
              ))}
            </select>
          </label>
          {barRows.length ? (
            <Figure name={`bars-${unit.replace(/[^a-z0-9]+/gi, "-")}`} title={`Values with 95 % CIs (${unit})`} settings={settings}>
              <GroupedBars rows={barRows} runs={runs} settings={settings} yLabel={barRows.length === 1 ? axisLabel(barRows[0]) : `Value (${unit})`} />
            </Figure>
          ) : null}
        </div>
        <div>
          <label className="figure-control">
            Category{" "}
            <select value={category} onChange={(e) => setCategory(e.target.value)}>
              {categories.map((c) => (
                <option key={c} value={c}>{CATEGORY_NAMES[c] ?? c}</option>
              ))}
            </select>
          </label>
          {radarRows.length >= 3 ? (
            <Figure name={`radar-${category}`} title={`${CATEGORY_NAMES[category] ?? category} profile`} note={`normalised axes: ${RADAR_NORMALISATION}`} settings={settings}>
              <CategoryRadar rows={radarRows} runs={runs} settings={settings} />
            </Figure>
          ) : (
            <FigureEmpty title="Radar">A radar needs at least three metrics of one category.</FigureEmpty>
          )}
        </div>
        <div>
          <label className="figure-control">
            Per-sample metric{" "}
            <select
              value={hist?.metric ?? ""}
              onChange={(e) => {
                const p = new URLSearchParams(sp.toString());
                p.set("dist", e.target.value);
                router.push(`/compare?${p.toString()}#figures-h`, { scroll: false });
              }}
            >
              {distOptions.map((o) => (
                <option key={o.id} value={o.id}>{o.label}</option>
              ))}
            </select>
          </label>
          {hist && hist.data.edges.length ? (
            <Figure name={`distribution-${hist.metric}`} title={`Distribution of ${hist.xLabel}`} note="share of each run's samples per bin" settings={settings}>
              <DistributionChart hist={hist.data} runs={runs} settings={settings} xLabel={hist.xLabel} />
            </Figure>
          ) : (
            <FigureEmpty title="Distribution">No per-sample values to show.</FigureEmpty>
          )}
        </div>
        {reliability.some((r) => r.bins.some((b) => b?.length)) ? (
          reliability
            .filter((r) => r.bins.some((b) => b?.length))
            .map((r) => (
              <Figure key={r.set} name={`reliability-${r.set}`} title={`Reliability diagram, ${r.label}`} note="10 equal-mass bins" settings={settings}>
                <ReliabilityDiagram bins={r.bins} runs={runs} settings={settings} setLabel={r.label} />
              </Figure>
            ))
        ) : (
          <FigureEmpty title="Reliability diagram">
            No calibration bins in these runs: profile HellaSwag or OpenBookQA (paper suite) to get reliability diagrams.
          </FigureEmpty>
        )}
        {toxRows.length ? (
          <Figure name="toxicity" title="Toxicity (95 % CIs)" settings={settings}>
            <GroupedBars rows={toxRows} runs={runs} settings={settings} yLabel="Probability / proportion" />
          </Figure>
        ) : (
          <FigureEmpty title="Toxicity">No toxicity results in these runs: profile RealToxicityPrompts with a scorer to compare toxicity.</FigureEmpty>
        )}
      </div>
    </section>
  );
}
