"use server";
import { z } from "zod";
import { getDatabase } from "@/lib/db/client";
import { itemDetail } from "@/lib/runs/items";

/** The benchmark record of one item (options and their scores, chosen answer, continuations and toxicity). */
export async function itemDetailAction(itemId: number): Promise<{ benchmark: string; data: unknown } | null> {
  const id = z.number().int().positive().parse(itemId);
  return itemDetail(await getDatabase(), id);
}
