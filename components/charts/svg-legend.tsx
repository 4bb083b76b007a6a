// A legend drawn inside the chart's own SVG (recharts' <Legend> is HTML outside it and would be lost on export),
// wrapped into as many rows as the figure's width needs.
import { textWidth } from "@/lib/export/pdf";

export interface LegendItem {
  label: string;
  color: string;
  dash?: string;
  kind?: "rect" | "line";
}

/** Rows of items that fit `width` at `fontSize`; returns the rows and the height they take. */
export function legendLayout(items: LegendItem[], width: number, fontSize: number): { rows: { item: LegendItem; x: number }[][]; height: number } {
  const rows: { item: LegendItem; x: number }[][] = [[]];
  let x = 0;
  const gap = fontSize * 1.2;
  for (const item of items) {
    const w = fontSize * 1.6 + textWidth(item.label, fontSize);
    if (x > 0 && x + w > width) {
      rows.push([]);
      x = 0;
    }
    rows[rows.length - 1].push({ item, x });
    x += w + gap;
  }
  return { rows, height: rows.length * fontSize * 1.5 + 4 };
}

export function SvgLegend({ items, x, y, width, fontSize }: { items: LegendItem[]; x: number; y: number; width: number; fontSize: number }) {
  const { rows } = legendLayout(items, width, fontSize);
  return (
    <g transform={`translate(${x},${y})`} aria-label="Legend">
      {rows.map((row, r) =>
        row.map(({ item, x: ix }) => (
          <g key={`${r}-${item.label}`} transform={`translate(${ix},${r * fontSize * 1.5})`}>
            {item.kind === "line" ? (
              <line x1={0} x2={fontSize * 1.2} y1={fontSize * 0.5} y2={fontSize * 0.5} stroke={item.color} strokeWidth={2} strokeDasharray={item.dash || undefined} />
            ) : (
              <rect x={0} y={fontSize * 0.1} width={fontSize * 0.9} height={fontSize * 0.9} fill={item.color} stroke="#333333" strokeWidth={0.5} />
            )}
            <text x={fontSize * 1.4} y={fontSize * 0.5} dominantBaseline="central" fontSize={fontSize} fill="#222222">
              {item.label}
            </text>
          </g>
        )),
      )}
    </g>
  );
}
