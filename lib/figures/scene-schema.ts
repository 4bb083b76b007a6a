// The scene a browser sends to /api/export/figure to get its PDF, checked before anything is drawn: bounded sizes
// and counts, finite numbers, plain colours. Pure.
import { z } from "zod";

const num = z.number().finite().min(-100_000).max(100_000);
const color = z.string().regex(/^(#[0-9a-fA-F]{3,8}|none)$/);
const paint = {
  fill: color.optional(),
  fillOpacity: z.number().min(0).max(1).optional(),
  stroke: color.optional(),
  strokeWidth: z.number().min(0).max(50).optional(),
  dash: z.array(z.number().min(0).max(1000)).max(16).optional(),
};

const item = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("rect"), x: num, y: num, w: num, h: num, ...paint }),
  z.object({ kind: z.literal("line"), x1: num, y1: num, x2: num, y2: num, ...paint }),
  z.object({ kind: z.literal("poly"), points: z.array(z.tuple([num, num])).max(10_000), closed: z.boolean(), ...paint }),
  z.object({ kind: z.literal("circle"), cx: num, cy: num, r: z.number().min(0).max(10_000), ...paint }),
  z.object({
    kind: z.literal("text"),
    x: num,
    y: num,
    text: z.string().max(1000),
    size: z.number().min(1).max(200),
    weight: z.enum(["normal", "bold"]).optional(),
    anchor: z.enum(["start", "middle", "end"]).optional(),
    fill: color.optional(),
    rotate: z.number().min(-360).max(360).optional(),
    role: z.string().max(40).optional(),
  }),
]);

export const sceneSchema = z.object({
  width: z.number().min(1).max(14_400),
  height: z.number().min(1).max(14_400),
  title: z.string().max(2000),
  description: z.string().max(10_000).optional(),
  items: z.array(item).max(50_000),
});
