"use server";
import { z } from "zod";
import { getDatabase } from "@/lib/db/client";

/** The benchmark record of one item (options and their scores, chosen answer, continuations and toxicity). */
export async function itemDetailAction(itemId: number): Promise<{ benchmark: string; data: unknown } | null> {
  const id = z.number().int().positive().parse(itemId);
  const db = await getDatabase();
  const item = await db.prisma.item.findUnique({ where: { id }, select: { benchmark: true, data: true } });
  return item ? { benchmark: item.benchmark, data: item.data } : null;
}
