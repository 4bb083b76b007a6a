// Lineage: a student derives from a base model by fine-tuning on synthetic data of one or more teachers, passively
// (the teacher's data as is) or actively (best-of-k selection on a target metric).
import { z } from "zod";
import { fieldErrorsFromZod, type ActionResult } from "@/lib/forms";
import type { Database, Db } from "@/lib/db/client";
import { CUSTOM_METRIC_PREFIX, getMetric } from "@/lib/metrics/catalogue";

const optionalId = z.preprocess((v) => (typeof v === "string" && v.trim() ? v.trim() : null), z.string().nullable());
const asArray = z.preprocess((v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]), z.array(z.string().min(1)));

export const derivationInputSchema = z
  .object({
    studentId: z.string({ message: "Choose the student model." }).min(1, "Choose the student model."),
    baseModelId: optionalId,
    teacherIds: asArray,
    method: z.enum(["passive", "active"], { message: "Choose passive or active inheritance." }),
    targetMetric: optionalId,
    direction: z.preprocess((v) => (v === "" ? null : v), z.enum(["max", "min", "closest"]).nullable().default(null)),
    k: z.preprocess(
      (v) => (v === "" || v === undefined || v === null ? null : v),
      z.coerce.number().int("k is a whole number.").min(1, "k is at least 1.").nullable(),
    ),
    datasetId: optionalId,
    datasetLabel: z.preprocess((v) => (typeof v === "string" ? v.trim() : ""), z.string().max(300)),
    notes: z.preprocess((v) => (typeof v === "string" ? v.trim() : ""), z.string().max(5000)),
  })
  .superRefine((v, ctx) => {
    if (v.teacherIds.length === 0) ctx.addIssue({ code: "custom", path: ["teacherIds"], message: "Choose at least one teacher." });
    if (v.teacherIds.includes(v.studentId)) ctx.addIssue({ code: "custom", path: ["teacherIds"], message: "The student cannot be its own teacher." });
    if (v.baseModelId && v.baseModelId === v.studentId)
      ctx.addIssue({ code: "custom", path: ["baseModelId"], message: "The base model must differ from the student." });
    if (v.method === "active") {
      if (!v.targetMetric) ctx.addIssue({ code: "custom", path: ["targetMetric"], message: "Active inheritance needs a target metric." });
      else if (!getMetric(v.targetMetric) && !v.targetMetric.startsWith(CUSTOM_METRIC_PREFIX))
        ctx.addIssue({ code: "custom", path: ["targetMetric"], message: `Unknown metric "${v.targetMetric}".` });
      if (!v.direction) ctx.addIssue({ code: "custom", path: ["direction"], message: "Choose maximise or minimise." });
      if (v.k === null) ctx.addIssue({ code: "custom", path: ["k"], message: "Give k, the candidates per prompt." });
    }
  });

export type DerivationInput = z.infer<typeof derivationInputSchema>;

export async function createDerivation(db: Database, raw: unknown): Promise<ActionResult<{ id: string }>> {
  const parsed = derivationInputSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsFromZod(parsed.error) };
  const v = parsed.data;
  const ids = [v.studentId, ...(v.baseModelId ? [v.baseModelId] : []), ...v.teacherIds];
  const found = await db.prisma.model.count({ where: { id: { in: [...new Set(ids)] } } });
  if (found !== new Set(ids).size) return { ok: false, fieldErrors: {}, formError: "A chosen model no longer exists." };
  const teachers = [...new Set(v.teacherIds)];
  const active = v.method === "active";
  const derivation = await db.prisma.derivation.create({
    data: {
      studentId: v.studentId,
      baseModelId: v.baseModelId,
      method: v.method,
      targetMetric: active ? v.targetMetric : null,
      direction: active ? v.direction : null,
      k: active ? v.k : null,
      selection: teachers.length > 1 ? "multi" : "single",
      datasetId: v.datasetId,
      datasetLabel: v.datasetLabel,
      notes: v.notes,
      teachers: { create: teachers.map((teacherId) => ({ teacherId })) },
    },
  });
  return { ok: true, data: { id: derivation.id } };
}

export interface ModelRef {
  id: string;
  name: string;
}

export interface DerivationView {
  id: string;
  student: ModelRef;
  base: ModelRef | null;
  teachers: ModelRef[];
  method: "passive" | "active";
  targetMetric: string | null;
  direction: "max" | "min" | "closest" | null;
  k: number | null;
  selection: "single" | "multi" | null;
  dataset: { id: string; name: string } | null;
  datasetLabel: string;
  notes: string;
  createdAt: string;
}

const include = {
  student: { select: { id: true, name: true } },
  baseModel: { select: { id: true, name: true } },
  teachers: { include: { teacher: { select: { id: true, name: true } } } },
  dataset: { select: { id: true, name: true } },
} as const;

type Row = Awaited<ReturnType<Db["derivation"]["findMany"]>>[number] & {
  student: ModelRef;
  baseModel: ModelRef | null;
  teachers: { teacher: ModelRef }[];
  dataset: { id: string; name: string } | null;
};

function toView(d: Row): DerivationView {
  return {
    id: d.id,
    student: d.student,
    base: d.baseModel,
    teachers: d.teachers.map((t) => t.teacher).sort((a, b) => a.name.localeCompare(b.name)),
    method: d.method,
    targetMetric: d.targetMetric,
    direction: d.direction,
    k: d.k,
    selection: d.selection,
    dataset: d.dataset,
    datasetLabel: d.datasetLabel,
    notes: d.notes,
    createdAt: d.createdAt.toISOString(),
  };
}

/** How a model is related: the derivations that made it (parents) and those it took part in (children). */
export async function lineageOf(db: Database, modelId: string): Promise<{ parents: DerivationView[]; children: DerivationView[] }> {
  const [parents, children] = await Promise.all([
    db.prisma.derivation.findMany({ where: { studentId: modelId }, include, orderBy: { createdAt: "asc" } }),
    db.prisma.derivation.findMany({
      where: { OR: [{ baseModelId: modelId }, { teachers: { some: { teacherId: modelId } } }] },
      include,
      orderBy: { createdAt: "asc" },
    }),
  ]);
  return { parents: (parents as Row[]).map(toView), children: (children as Row[]).map(toView) };
}

/** Every derivation, newest first. (Takes the Prisma client: app/compare and app/leaderboard still pass `db.prisma`.) */
export async function listDerivations(db: Db): Promise<DerivationView[]> {
  return ((await db.derivation.findMany({ include, orderBy: { createdAt: "desc" } })) as Row[]).map(toView);
}
