"use server";
import { z } from "zod";
import { queryAction } from "@/lib/actions";
import { getDatabase } from "@/lib/db/client";
import { itemDetail } from "@/lib/runs/items";

/** The benchmark record of one item (options and their scores, chosen answer, continuations and toxicity). */
export const itemDetailAction = queryAction(
  z.number().int().positive(),
  async (id): Promise<{ benchmark: string; data: unknown } | null> => itemDetail(await getDatabase(), id),
  { requires: "viewer" },
);
