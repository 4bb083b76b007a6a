// The capability probe stored on a model (Model.probe / probedAt, and the capChat/capEcho/capEmbeddings flags it
// confirms), and the check a benchmark step makes before it runs: a missing capability makes the step
// "unsupported" with the probe's reason — it is never run another way.
import type { Database } from "@/lib/db/client";
import type { ChoiceMode, Endpoint } from "@/lib/llm/endpoint";
import { probeCapabilities, type Capabilities } from "@/lib/llm/probe";

export async function probeAndStore(db: Database, modelId: string, endpoint: Endpoint): Promise<Capabilities> {
  const caps = await probeCapabilities(endpoint);
  // What generation learnt about n (greedy and sampled) survives a new probe; the probe itself tests sampled n.
  const before = await db.prisma.model.findUnique({ where: { id: modelId }, select: { probe: true } });
  const learnt = (before?.probe as { singleChoice?: Record<string, boolean> } | null)?.singleChoice ?? {};
  const singleChoice = { ...learnt, sampled: !caps.n.supported && (caps.chat.supported || caps.completions.supported) ? true : (learnt.sampled ?? false) };
  await db.prisma.model.update({
    where: { id: modelId },
    data: {
      probe: JSON.parse(JSON.stringify({ ...caps, singleChoice })),
      probedAt: new Date(),
      // Only what the probe could reach updates the declared flags (an unreachable endpoint says nothing).
      ...(reachable(caps) ? { capChat: caps.chat.supported, capEcho: caps.echoLogprobs.supported, capEmbeddings: caps.embeddings.supported } : {}),
    },
  });
  return caps;
}

/** Whether anything answered: a probe of an endpoint that is down must not mark benchmarks unsupported. */
export function reachable(caps: Capabilities): boolean {
  return caps.chat.supported || caps.completions.supported || caps.embeddings.supported || caps.models !== null;
}

function isCapabilities(v: unknown): v is Capabilities {
  const c = v as Capabilities | null;
  return !!c && typeof c === "object" && !!c.echoLogprobs && !!c.embeddings && typeof c.echoLogprobs.supported === "boolean";
}

/** The stored probe, or a new one (stored) when the model was never probed. */
export async function capabilitiesOf(db: Database, model: { id: string; probe: unknown }, endpoint: Endpoint): Promise<Capabilities | null> {
  if (isCapabilities(model.probe)) return model.probe;
  const caps = await probeAndStore(db, model.id, endpoint);
  return reachable(caps) ? caps : null;
}

/** Why a step needing `capability` cannot run on this endpoint, or null. */
export function unsupportedReason(caps: Capabilities | null, capability: "generate" | "echo" | "embeddings"): string | null {
  if (!caps || capability === "generate") return null;
  const cap = capability === "echo" ? caps.echoLogprobs : caps.embeddings;
  if (cap.supported) return null;
  const what = capability === "echo" ? "log-likelihood of given text (completions with echo + logprobs)" : "embeddings";
  return `not supported by this endpoint: ${what}${cap.reason ? ` — ${cap.reason}` : ""}`;
}

/** Stores that the model's endpoint serves one choice per request (greedy or sampled), for later processes. */
export async function recordSingleChoice(db: Database, modelId: string, mode: ChoiceMode): Promise<void> {
  await db.sql.query(
    `UPDATE "Model" SET probe = jsonb_set(coalesce(probe, '{}'::jsonb), '{singleChoice}', coalesce(probe->'singleChoice', '{}'::jsonb) || jsonb_build_object($2::text, true))
     WHERE id = $1`,
    [modelId, mode],
  );
}

/** The model's endpoint, telling the database what it learns about n > 1 (a failed write is only a lost hint). */
export function learningEndpoint(db: Database, modelId: string, endpoint: Endpoint): Endpoint {
  return { ...endpoint, onSingleChoice: (mode) => void recordSingleChoice(db, modelId, mode).catch(() => undefined) };
}
