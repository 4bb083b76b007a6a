// A figure as PDF from a posted scene: the browser lays the figure out (lib/figures) and posts the scene; the
// server writes it with pdfkit and the embedded fonts, which it reads from their npm packages. Reads no data: any
// scene is drawn as sent. Served by /api/export/figure and /api/share/<token>/figure.
import { badInput } from "@/lib/errors";
import { sceneToPdf } from "./pdf";
import { sceneSchema } from "./scene-schema";

const MAX_BODY = 4_000_000;

export async function figurePdfResponse(req: Request): Promise<Response> {
  const body = await req.text();
  if (body.length > MAX_BODY)
    return new Response(JSON.stringify({ error: "scene too large" }), { status: 413, headers: { "Content-Type": "application/json" } });
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw badInput("the body is not JSON");
  }
  const parsed = sceneSchema.safeParse((json as { scene?: unknown })?.scene);
  if (!parsed.success)
    throw badInput(
      parsed.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join(".")}: ${i.message}`)
        .join("; "),
    );
  const pdf = await sceneToPdf(parsed.data);
  return new Response(pdf as BodyInit, {
    headers: { "Content-Type": "application/pdf", "Content-Disposition": `attachment; filename="${figureName(req)}.pdf"`, "Cache-Control": "no-store" },
  });
}

/** The file name asked for (?name=), reduced to safe characters. */
export function figureName(req: Request): string {
  return (new URL(req.url).searchParams.get("name") ?? "figure").replace(/[^A-Za-z0-9._-]+/g, "-").slice(0, 80) || "figure";
}
