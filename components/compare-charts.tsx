"use client";
// The figures of a comparison, laid out from data by lib/figures (the same scene on screen, in SVG, PDF and PNG),
// with per-figure downloads and "Export all" (a ZIP assembled here: every figure as SVG, PDF and PNG, the tables
// from the export route, and the manifest). The metrics they show, and their order, are kept in the URL
// (`metrics=`, lib/export/metric-selection).
import { useRouter, useSearchParams } from "next/navigation";
import { useMemo, useState, type ReactNode } from "react";
import { withQuery } from "@/lib/compare/endpoints";
import { METRICS_PARAM, groupByCategory, parseMetricsParam, selectRows } from "@/lib/export/metric-selection";
import { zip } from "@/lib/export/zip";
import { figureScene, type FigureSpec } from "@/lib/figures";
import { CATEGORY_NAMES, withUnit, type FigureRow, type FigureRun, type HistogramData, type ReliabilityBin } from "@/lib/figures/data";
import { DOUBLE_COLUMN_IN, MIN_FONT_PT, SINGLE_COLUMN_IN, type FigureSettings } from "@/lib/figures/layout";
import { RADAR_NORMALISATION } from "@/lib/figures/radar";
import type { Scene } from "@/lib/figures/scene";
import { download, figurePdf, figurePng, figureSvg } from "./charts/export-figure";
import { Figure, FigureEmpty } from "./charts/figure";
import { MetricChooser, metricsParamValue } from "./charts/metric-chooser";

export interface CompareChartsProps {
  runs: FigureRun[];
  refId: string;
  rows: FigureRow[];
  hist: { metric: string; xLabel: string; data: HistogramData } | null;
  distOptions: { id: string; label: string }[];
  reliability: { set: string; label: string; bins: (ReliabilityBin[] | null)[] }[];
  /** the table export's address (lib/compare/endpoints.ts); `format=…` is added */
  exportUrl: string;
  /** the figure PDF writer's address */
  figureUrl: string;
  /** the page itself, for the distribution chooser */
  page: string;
  /** what the heatmap's colours mean beyond better / worse / neutral: shown under its legend and in its caption */
  heatmapNote?: string;
}

interface Shown {
  name: string;
  title: string;
  note?: string;
  scene: Scene;
}

export function CompareCharts({ runs, refId, rows: allRows, hist, distOptions, reliability, exportUrl, figureUrl, page, heatmapNote }: CompareChartsProps) {
  const [settings, setSettings] = useState<FigureSettings>({ widthIn: DOUBLE_COLUMN_IN, fontPt: 9 });
  const router = useRouter();
  const sp = useSearchParams();
  // Read from the address once, then held here: the figures redraw on the click itself, while the address follows
  // (history.replaceState reaches useSearchParams only later, and a checkbox must change state when clicked).
  const [selection, setSelected] = useState(() => parseMetricsParam(sp.get(METRICS_PARAM)));
  const rows = selectRows(allRows, selection);
  const setSelection = (ids: string[] | null) => {
    setSelected(ids);
    const p = new URLSearchParams(window.location.search);
    const v = metricsParamValue(ids);
    if (v) p.set(METRICS_PARAM, v);
    else p.delete(METRICS_PARAM);
    // The figures are drawn in the browser: the address changes without asking the server for the page again.
    window.history.replaceState(null, "", `?${p.toString()}${window.location.hash}`);
  };
  const units = [...new Set(rows.map((r) => r.unit || "score"))];
  const [unitChoice, setUnit] = useState<string | null>(null);
  const unit = unitChoice && units.includes(unitChoice) ? unitChoice : units.includes("words") ? "words" : units[0];
  const categories = [...new Set(rows.map((r) => r.category))].filter((c) => rows.filter((r) => r.category === c).length >= 3);
  const [categoryChoice, setCategory] = useState<string | null>(null);
  const category = categoryChoice && categories.includes(categoryChoice) ? categoryChoice : (categories[0] ?? "textual");
  const [busy, setBusy] = useState<string | null>(null);

  const specs = useMemo(() => {
    const withChange = groupByCategory(rows.filter((r) => r.changes.some((c) => c.pct !== null)));
    const barRows = rows.filter((r) => (r.unit || "score") === unit).slice(0, 12);
    const radarRows = rows.filter((r) => r.category === category).slice(0, 12);
    const toxRows = allRows.filter((r) => r.metric === "expected_max_toxicity" || r.metric === "toxicity_probability");
    const out: { name: string; title: string; note?: string; spec: FigureSpec }[] = [];
    if (withChange.length)
      out.push({
        name: "change-heatmap",
        title: "% change against the reference",
        note: heatmapNote ?? "blue: for the better, vermillion: for the worse, grey: neutral metric",
        spec: { kind: "heatmap", rows: withChange, runs, refId, note: heatmapNote },
      });
    if (barRows.length)
      out.push({
        name: `bars-${unit.replace(/[^a-z0-9]+/gi, "-")}`,
        title: `Values with 95 % CIs (${unit})`,
        spec: {
          kind: "bars",
          rows: barRows,
          runs,
          yTitle: barRows.length === 1 ? withUnit(barRows[0].shortLabel, barRows[0].unit) : `Value (${unit})`,
          title: `Values with 95 % CIs (${unit})`,
        },
      });
    if (radarRows.length >= 3)
      out.push({
        name: `radar-${category}`,
        title: `${CATEGORY_NAMES[category] ?? category} profile`,
        note: `normalised axes: ${RADAR_NORMALISATION}`,
        spec: { kind: "radar", rows: radarRows, runs, title: `${CATEGORY_NAMES[category] ?? category} profile` },
      });
    if (hist?.data.edges.length)
      out.push({
        name: `distribution-${hist.metric}`,
        title: `Distribution of ${hist.xLabel}`,
        note: "share of each run's samples per bin",
        spec: { kind: "distribution", hist: hist.data, runs, xTitle: hist.xLabel, title: `Distribution of ${hist.xLabel}` },
      });
    for (const r of reliability.filter((x) => x.bins.some((b) => b?.length)))
      out.push({
        name: `reliability-${r.set}`,
        title: `Reliability diagram, ${r.label}`,
        note: "10 equal-mass bins",
        spec: { kind: "reliability", bins: r.bins, runs, setLabel: r.label, title: `Reliability diagram, ${r.label}` },
      });
    if (toxRows.length)
      out.push({
        name: "toxicity",
        title: "Toxicity (95 % CIs)",
        spec: { kind: "bars", rows: toxRows, runs, yTitle: "Probability / proportion", title: "Toxicity (95 % CIs)" },
      });
    return out;
  }, [rows, allRows, unit, category, hist, reliability, runs, refId, heatmapNote]);
  const figures: Shown[] = useMemo(
    () => specs.map((s) => ({ name: s.name, title: s.title, note: s.note, scene: figureScene(s.spec, settings) })),
    [specs, settings],
  );

  const exportAll = async () => {
    setBusy("Collecting figures…");
    try {
      const files: { name: string; data: Uint8Array | string }[] = [];
      for (const f of figures) {
        files.push({ name: `figures/${f.name}.svg`, data: figureSvg(f.scene) });
        files.push({ name: `figures/${f.name}.pdf`, data: await figurePdf(f.scene, f.name, figureUrl) });
        files.push({ name: `figures/${f.name}@3x.png`, data: new Uint8Array(await (await figurePng(f.scene, 3)).arrayBuffer()) });
      }
      setBusy("Computing tables (paired statistics)…");
      for (const [format, file] of [
        ["latex", "tables/comparison.tex"],
        ["csv", "tables/comparison.csv"],
        ["json", "tables/comparison.json"],
        ["manifest", "manifest.json"],
      ] as const) {
        // The chosen metrics go along (the table export reads them once it supports `metrics=`).
        const metrics = selection ? `&${METRICS_PARAM}=${encodeURIComponent(selection.join(","))}` : "";
        const res = await fetch(withQuery(exportUrl, `format=${format}${metrics}`));
        if (!res.ok) throw new Error(`${file}: ${(await res.text()).slice(0, 200)}`);
        files.push({ name: file, data: new Uint8Array(await res.arrayBuffer()) });
      }
      // The manifest also lists what is in the archive.
      const manifestAt = files.findIndex((f) => f.name === "manifest.json");
      const manifest = JSON.parse(new TextDecoder().decode(files[manifestAt].data as Uint8Array));
      manifest.figureSettings = {
        widthIn: settings.widthIn,
        fontPt: settings.fontPt,
        metrics: rows.map((r) => r.metric),
        fonts: "DejaVu Sans, with Source Han Sans for CJK text (subsets embedded in the PDFs)",
        radarNormalisation: RADAR_NORMALISATION,
      };
      manifest.files = files.map((f) => f.name);
      files[manifestAt] = { name: "manifest.json", data: JSON.stringify(manifest, null, 2) };
      download("lineage-comparison.zip", zip(files), "application/zip");
      setBusy(null);
    } catch (err) {
      setBusy(`Export failed: ${(err as Error).message}`);
    }
  };

  const shown = (name: string, empty: ReactNode) => {
    const f = figures.find((x) => x.name === name || x.name.startsWith(`${name}-`));
    return f ? <Figure key={f.name} name={f.name} title={f.title} note={f.note} scene={f.scene} pdfUrl={figureUrl} /> : empty;
  };
  const reliabilityFigures = figures.filter((f) => f.name.startsWith("reliability-"));

  return (
    <section aria-labelledby="figures-h">
      <div className="page-head">
        <h2 id="figures-h">Figures</h2>
        <div className="actions" role="group" aria-label="Figure settings">
          <label>
            Width{" "}
            <select value={settings.widthIn} onChange={(e) => setSettings({ ...settings, widthIn: Number(e.target.value) })}>
              <option value={SINGLE_COLUMN_IN}>single column ({SINGLE_COLUMN_IN} in)</option>
              <option value={DOUBLE_COLUMN_IN}>double column ({DOUBLE_COLUMN_IN} in)</option>
            </select>
          </label>
          <label>
            Font size (pt){" "}
            <input
              type="number"
              min={MIN_FONT_PT}
              max={12}
              step={0.5}
              value={settings.fontPt}
              onChange={(e) => setSettings({ ...settings, fontPt: Math.min(12, Math.max(MIN_FONT_PT, Number(e.target.value) || 9)) })}
              style={{ width: "4.5rem" }}
            />
          </label>
          <button type="button" onClick={exportAll} disabled={busy !== null && !busy.startsWith("Export failed")}>
            Export all (ZIP)
          </button>
        </div>
      </div>
      <MetricChooser metrics={allRows.map((r) => ({ metric: r.metric, label: r.label, category: r.category }))} selection={selection} onChange={setSelection} />
      {busy ? (
        <p className={busy.startsWith("Export failed") ? "alert error" : "alert info"} role="status">
          {busy}
        </p>
      ) : null}
      <div className="figures">
        {shown(
          "change-heatmap",
          <FigureEmpty title="% change against the reference">No chosen metric has a value in both the reference and another run.</FigureEmpty>,
        )}
        <div>
          <label className="figure-control">
            Metrics of unit{" "}
            <select value={unit} onChange={(e) => setUnit(e.target.value)}>
              {units.map((u) => (
                <option key={u} value={u}>
                  {u}
                </option>
              ))}
            </select>
          </label>
          {shown("bars", null)}
        </div>
        <div>
          <label className="figure-control">
            Category{" "}
            <select value={category} onChange={(e) => setCategory(e.target.value)}>
              {categories.map((c) => (
                <option key={c} value={c}>
                  {CATEGORY_NAMES[c] ?? c}
                </option>
              ))}
            </select>
          </label>
          {shown("radar", <FigureEmpty title="Radar">A radar needs at least three chosen metrics of one category.</FigureEmpty>)}
        </div>
        <div>
          <label className="figure-control">
            Per-sample metric{" "}
            <select
              value={hist?.metric ?? ""}
              onChange={(e) => {
                const p = new URLSearchParams(sp.toString());
                p.set("dist", e.target.value);
                router.push(`${page}?${p.toString()}#figures-h`, { scroll: false });
              }}
            >
              {distOptions.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.label}
                </option>
              ))}
            </select>
          </label>
          {shown("distribution", <FigureEmpty title="Distribution">No per-sample values to show.</FigureEmpty>)}
        </div>
        {reliabilityFigures.length ? (
          reliabilityFigures.map((f) => <Figure key={f.name} name={f.name} title={f.title} note={f.note} scene={f.scene} pdfUrl={figureUrl} />)
        ) : (
          <FigureEmpty title="Reliability diagram">
            No calibration bins in these runs: profile HellaSwag or OpenBookQA (paper suite) to get reliability diagrams.
          </FigureEmpty>
        )}
        {shown(
          "toxicity",
          <FigureEmpty title="Toxicity">No toxicity results in these runs: profile RealToxicityPrompts with a scorer to compare toxicity.</FigureEmpty>,
        )}
      </div>
    </section>
  );
}
