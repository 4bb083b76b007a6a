import type { SelectionReport } from "@/lib/inheritance/report";

const SERIES = [
  { key: "all", label: "All candidates", color: "#9aa3ad" },
  { key: "random", label: "Random pick (passive)", color: "#d08a2c" },
  { key: "selected", label: "Selected", color: "#2b6cb0" },
] as const;

function fmt(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
}

/** The target's distribution per set, as shares per bin (sets differ in size), with each set's mean marked. */
export function DatasetDistribution({ report, label }: { report: SelectionReport; label: string }) {
  const h = report.histogram;
  if (h.edges.length === 0) return <p className="muted">No candidate has a value for this metric.</p>;
  const W = 720;
  const H = 200;
  const pad = { l: 40, r: 10, t: 10, b: 30 };
  const bins = h.all.length;
  const shares = SERIES.map((s) => {
    const counts = h[s.key];
    const total = counts.reduce((a, b) => a + b, 0) || 1;
    return counts.map((c) => c / total);
  });
  const maxShare = Math.max(...shares.flat(), 0.01);
  const bw = (W - pad.l - pad.r) / bins;
  const lo = h.edges[0];
  const hi = h.edges[h.edges.length - 1];
  const x = (v: number) => pad.l + ((v - lo) / (hi - lo)) * (W - pad.l - pad.r);
  const y = (s: number) => H - pad.b - (s / maxShare) * (H - pad.t - pad.b);
  const means = [report.all.mean, report.random.mean, report.selected.mean];
  return (
    <figure style={{ margin: 0 }}>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={`Distribution of ${label}: all candidates, random pick and selected`}>
        <line x1={pad.l} x2={W - pad.r} y1={H - pad.b} y2={H - pad.b} stroke="#888" />
        {shares.map((series, si) =>
          series.map((s, i) =>
            s > 0 ? (
              <rect key={`${si}-${i}`} x={pad.l + i * bw + (si * bw) / 3} width={bw / 3 - 0.5} y={y(s)} height={H - pad.b - y(s)} fill={SERIES[si].color}>
                <title>{`${SERIES[si].label}: ${(100 * s).toFixed(1)} % in ${fmt(h.edges[i])}–${fmt(h.edges[i + 1])}`}</title>
              </rect>
            ) : null,
          ),
        )}
        {means.map((m, si) =>
          m === null ? null : <line key={si} x1={x(m)} x2={x(m)} y1={pad.t} y2={H - pad.b} stroke={SERIES[si].color} strokeWidth={2} strokeDasharray="4 3" />,
        )}
        {[0, 0.25, 0.5, 0.75, 1].map((f) => (
          <text key={f} x={x(lo + f * (hi - lo))} y={H - 10} fontSize={11} textAnchor="middle" fill="#555">
            {fmt(lo + f * (hi - lo))}
          </text>
        ))}
        <text x={4} y={pad.t + 10} fontSize={11} fill="#555">
          share
        </text>
      </svg>
      <figcaption className="checks" style={{ fontSize: "0.85rem" }}>
        {SERIES.map((s) => (
          <span key={s.key}>
            <span aria-hidden style={{ display: "inline-block", width: 10, height: 10, background: s.color, marginRight: 4 }} />
            {s.label}
          </span>
        ))}
        <span className="muted">dashed: means</span>
      </figcaption>
    </figure>
  );
}
