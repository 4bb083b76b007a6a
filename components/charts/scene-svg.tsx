// A figure's scene drawn on screen as inline SVG: the same elements and attributes as the exported file
// (lib/figures/svg.ts), at 96 CSS px per inch, so what you see is what you export.
import { stripBidiControls } from "@/lib/export/bidi";
import { r2, type Scene } from "@/lib/figures/scene";
import { fontFamilyOf } from "@/lib/figures/svg";

export function SceneSvg({ scene, label }: { scene: Scene; label?: string }) {
  const px = (pt: number) => Math.round((pt * 96) / 72);
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      width={px(scene.width)}
      height={px(scene.height)}
      viewBox={`0 0 ${r2(scene.width)} ${r2(scene.height)}`}
      role="img"
      aria-label={label ?? scene.title}
      style={{ maxWidth: "100%", height: "auto", background: "#ffffff" }}
    >
      <title>{stripBidiControls(scene.title)}</title>
      {scene.items.map((i, k) => {
        const stroke =
          "stroke" in i && i.stroke && i.stroke !== "none"
            ? { stroke: i.stroke, strokeWidth: i.strokeWidth ?? 1, strokeDasharray: i.dash?.length ? i.dash.join(" ") : undefined }
            : {};
        switch (i.kind) {
          case "rect":
            return <rect key={k} x={r2(i.x)} y={r2(i.y)} width={r2(i.w)} height={r2(i.h)} fill={i.fill ?? "none"} fillOpacity={i.fillOpacity} {...stroke} />;
          case "line":
            return <line key={k} x1={r2(i.x1)} y1={r2(i.y1)} x2={r2(i.x2)} y2={r2(i.y2)} {...stroke} />;
          case "poly": {
            const points = i.points.map(([x, y]) => `${r2(x)},${r2(y)}`).join(" ");
            return i.closed ? (
              <polygon key={k} points={points} fill={i.fill ?? "none"} fillOpacity={i.fillOpacity} strokeLinejoin="round" {...stroke} />
            ) : (
              <polyline key={k} points={points} fill="none" strokeLinejoin="round" {...stroke} />
            );
          }
          case "circle":
            return <circle key={k} cx={r2(i.cx)} cy={r2(i.cy)} r={r2(i.r)} fill={i.fill ?? "none"} fillOpacity={i.fillOpacity} {...stroke} />;
          case "text":
            return (
              <text
                key={k}
                x={r2(i.x)}
                y={r2(i.y)}
                fontFamily={fontFamilyOf(i.text)}
                fontSize={r2(i.size)}
                fontWeight={i.weight === "bold" ? "bold" : undefined}
                textAnchor={i.anchor && i.anchor !== "start" ? i.anchor : undefined}
                fill={i.fill ?? "#222222"}
                transform={i.rotate ? `rotate(${r2(i.rotate)} ${r2(i.x)} ${r2(i.y)})` : undefined}
              >
                {stripBidiControls(i.text)}
              </text>
            );
        }
      })}
    </svg>
  );
}
