"use client";
// A figure: caption, the chart at its export size (what you see is what you export), and its downloads.
import { useRef, useState, type ReactNode } from "react";
import { download, figurePdf, figurePng, figureSvg } from "./export-figure";
import type { FigureSettings } from "./types";

export function Figure({ name, title, note, settings, children }: { name: string; title: string; note?: string; settings: FigureSettings; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (kind: "svg" | "pdf" | "png") => {
    setError(null);
    try {
      const svg = figureSvg(ref.current!, { widthIn: settings.widthIn, fontPt: settings.fontPt, title });
      if (kind === "svg") download(`${name}.svg`, svg, "image/svg+xml");
      else if (kind === "pdf") download(`${name}.pdf`, figurePdf(svg, title), "application/pdf");
      else download(`${name}@3x.png`, await figurePng(svg, 3), "image/png");
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <figure className="figure panel" data-figure={name} aria-labelledby={`fig-${name}`}>
      <figcaption id={`fig-${name}`}>
        <strong>{title}</strong>
        {note ? <span className="muted"> — {note}</span> : null}
      </figcaption>
      <div ref={ref} className="figure-canvas" data-figure-canvas={name}>
        {children}
      </div>
      <div className="actions" role="group" aria-label={`Download ${title}`}>
        <button type="button" className="secondary" onClick={() => run("svg")}>SVG</button>
        <button type="button" className="secondary" onClick={() => run("pdf")}>PDF</button>
        <button type="button" className="secondary" onClick={() => run("png")}>PNG 3×</button>
      </div>
      {error ? <p className="alert error" role="alert">{error}</p> : null}
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
