// Browser side of figure export: a figure's scene (lib/figures) as SVG (written here), PDF (written by the server
// with pdfkit and the embedded fonts: POST /api/export/figure) and PNG (the SVG rasterised on a canvas, on white).
import type { Scene } from "@/lib/figures/scene";
import { sceneToSvg } from "@/lib/figures/svg";

export function figureSvg(scene: Scene): string {
  return sceneToSvg(scene);
}

/** `url`: the PDF writer (/api/export/figure, or a reviewer link's /api/share/<token>/figure). */
export async function figurePdf(scene: Scene, name: string, url = "/api/export/figure"): Promise<Uint8Array> {
  const res = await fetch(`${url}?name=${encodeURIComponent(name)}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ scene: { width: scene.width, height: scene.height, title: scene.title, description: scene.description, items: scene.items } }),
  });
  if (!res.ok) throw new Error(`PDF export failed: ${(await res.text()).slice(0, 300)}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** PNG at `scale`× the figure's size at 96 px per inch, on white. */
export async function figurePng(scene: Scene, scale = 3): Promise<Blob> {
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(sceneToSvg(scene))}`;
  await img.decode();
  const w = Math.round((scene.width * 96) / 72);
  const h = Math.round((scene.height * 96) / 72);
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(w * scale);
  canvas.height = Math.round(h * scale);
  const ctx = canvas.getContext("2d")!;
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("PNG encoding failed"))), "image/png"));
}

export function download(name: string, data: Blob | Uint8Array | string, type: string): void {
  const blob = data instanceof Blob ? data : new Blob([data as BlobPart], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
