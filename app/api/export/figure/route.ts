import { NextResponse } from "next/server";
import { sceneToPdf } from "@/lib/figures/pdf";
import { sceneSchema } from "@/lib/figures/scene-schema";

// A figure as PDF: the browser lays the figure out (lib/figures) and posts the scene; the server writes it with
// pdfkit and the embedded fonts, which it reads from their npm packages. Reads no data: any scene is drawn as sent.
export const runtime = "nodejs";
const MAX_BODY = 4_000_000;

export async function POST(req: Request) {
  const body = await req.text();
  if (body.length > MAX_BODY) return NextResponse.json({ error: "scene too large" }, { status: 413 });
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return NextResponse.json({ error: "the body is not JSON" }, { status: 400 });
  }
  const parsed = sceneSchema.safeParse((json as { scene?: unknown })?.scene);
  if (!parsed.success)
    return NextResponse.json(
      {
        error: parsed.error.issues
          .slice(0, 5)
          .map((i) => `${i.path.join(".")}: ${i.message}`)
          .join("; "),
      },
      { status: 400 },
    );
  const name = (new URL(req.url).searchParams.get("name") ?? "figure").replace(/[^A-Za-z0-9._-]+/g, "-").slice(0, 80) || "figure";
  const pdf = await sceneToPdf(parsed.data);
  return new NextResponse(pdf as BodyInit, {
    headers: { "Content-Type": "application/pdf", "Content-Disposition": `attachment; filename="${name}.pdf"`, "Cache-Control": "no-store" },
  });
}
