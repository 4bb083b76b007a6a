"use client";
// A figure: caption, the figure drawn from its scene at its export size (what you see is what you export), and its
// downloads.
import { useState, type ReactNode } from "react";
import { MAX_FIGURE_HEIGHT_PT } from "@/lib/figures";
import type { Scene } from "@/lib/figures/scene";
import { download, figurePdf, figurePng, figureSvg } from "./export-figure";
import { SceneSvg } from "./scene-svg";

export function Figure({ name, title, note, scene, pdfUrl }: { name: string; title: string; note?: string; scene: Scene; pdfUrl?: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (kind: "svg" | "pdf" | "png") => {
    setError(null);
    setBusy(true);
    try {
      if (kind === "svg") download(`${name}.svg`, figureSvg(scene), "image/svg+xml");
      else if (kind === "pdf") download(`${name}.pdf`, await figurePdf(scene, name, pdfUrl), "application/pdf");
      else download(`${name}@3x.png`, await figurePng(scene, 3), "image/png");
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const tall = scene.height > MAX_FIGURE_HEIGHT_PT;
  return (
    <figure className="figure panel" data-figure={name} aria-labelledby={`fig-${name}`}>
      <figcaption id={`fig-${name}`}>
        <strong>{title}</strong>
        {note ? <span className="muted"> — {note}</span> : null}
      </figcaption>
      {tall ? (
        <p className="alert info small" role="note">
          {(scene.width / 72).toFixed(2)} × {(scene.height / 72).toFixed(1)} in: taller than a page. Choose fewer metrics, or the double-column width.
        </p>
      ) : null}
      <div className="figure-canvas" data-figure-canvas={name}>
        <SceneSvg scene={scene} />
      </div>
      <div className="actions" role="group" aria-label={`Download ${title}`}>
        <button type="button" className="secondary" disabled={busy} onClick={() => run("svg")}>
          SVG
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={() => run("pdf")}>
          PDF
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={() => run("png")}>
          PNG 3×
        </button>
      </div>
      {error ? (
        <p className="alert error" role="alert">
          {error}
        </p>
      ) : null}
    </figure>
  );
}

export function FigureEmpty({ title, children }: { title: string; children: ReactNode }) {
  return (
    <figure className="figure panel figure-empty">
      <figcaption>
        <strong>{title}</strong>
      </figcaption>
      <p className="muted">{children}</p>
    </figure>
  );
}
