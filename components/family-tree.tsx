// The family tree on screen: the same layout as the download (lib/models/family-tree.ts), drawn with React so
// that model names are text, never markup; nodes link to the model, edges to the lineage comparison.
import { edgeLabel, edgePath, nodeFill, nodeTextColour, type TreeLayout } from "@/lib/models/family-tree";
import { stripBidiControls } from "@/lib/export/bidi";

export function FamilyTree({ layout }: { layout: TreeLayout }) {
  const byId = new Map(layout.nodes.map((n) => [n.id, n]));
  return (
    <svg
      width={layout.width}
      height={layout.height}
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      role="img"
      aria-label={`Family tree of ${layout.nodes.length} models and their derivations`}
      data-testid="family-tree"
      fontFamily="DejaVu Sans, Liberation Sans, Arial, sans-serif"
    >
      {layout.edges.map((e) => {
        const { d, mid } = edgePath(byId.get(e.from)!, byId.get(e.to)!);
        const label = edgeLabel(e);
        return (
          <a key={`${e.derivationId}-${e.from}-${e.kind}`} href={`/compare?lineage=${e.derivationId}`} data-testid={`edge-${e.kind}`}>
            <title>{e.kind === "base" ? `base → student${label ? `: ${label}` : ""}` : `teacher → student: ${e.label}`}</title>
            <path
              d={d}
              fill="none"
              stroke={e.kind === "base" ? "#333333" : "#888888"}
              strokeWidth={1.4}
              strokeDasharray={e.kind === "teacher" ? "5 3" : undefined}
            />
            {label ? (
              <text x={e.labelAt?.x ?? mid.x} y={e.labelAt?.y ?? mid.y + 4} textAnchor="middle" fontSize={10} fill="#444444">
                {label}
              </text>
            ) : null}
          </a>
        );
      })}
      {/* SVG text has no <bdi>: names lose their bidirectional controls here, as in the exported figure. */}
      {layout.nodes.map((n) => (
        <a key={n.id} href={`/models/${n.id}`} data-testid="tree-node">
          <title>{`${stripBidiControls(n.name)}${n.value !== null ? ` — ${n.value.toPrecision(4)}` : ""}`}</title>
          <rect x={n.x} y={n.y} width={n.w} height={n.h} rx={5} fill={nodeFill(n.value, layout.range)} stroke="#555555" />
          <text x={n.x + n.w / 2} y={n.y + n.h / 2 + 4} textAnchor="middle" fontSize={12} fill={nodeTextColour(n.value, layout.range)}>
            {stripBidiControls(n.name)}
          </text>
        </a>
      ))}
      <text x={24} y={layout.height - 14} fontSize={10} fill="#444444">
        {layout.caption}
      </text>
    </svg>
  );
}
