// The model registry: validation of what a user enters, persistence, and the public view that may reach the
// browser (never the secret: only its last four characters).
import { z } from "zod";
import { encryptSecret, keyVariableNameError, keyVariableValue, last4, resolveApiKey, shownLast4, CredentialError } from "@/lib/credentials";
import { fieldErrorsFromZod, type ActionResult } from "@/lib/forms";
import type { Database } from "@/lib/db/client";
import type { Model } from "@/lib/generated/prisma/client";
import type { Endpoint } from "@/lib/llm/endpoint";
import { errorOfKind } from "@/lib/errors";
import { getPreset } from "./presets";

const checkbox = z.preprocess((v) => v === true || v === "on" || v === "true" || v === "1", z.boolean());
const optionalText = (max: number) => z.preprocess((v) => (typeof v === "string" ? v.trim() : ""), z.string().max(max, `At most ${max} characters.`));

export const modelInputSchema = z
  .object({
    name: z.preprocess((v) => (typeof v === "string" ? v.trim() : ""), z.string().min(1, "Give the model a name.").max(80, "At most 80 characters.")),
    family: optionalText(80),
    size: optionalText(40),
    preset: optionalText(40),
    baseUrl: optionalText(500).pipe(
      z
        .string()
        .refine((v) => v === "" || isHttpUrl(v), {
          message: "Enter an http:// or https:// URL, e.g. http://localhost:8000/v1.",
        })
        .refine((v) => v === "" || !hasUserInfo(v), {
          message: "Do not put credentials in the URL: use the API key field.",
        }),
    ),
    servedModelId: optionalText(200),
    credentialMode: z.enum(["none", "env", "secret"], { message: "Choose how the API key is given." }).default("none"),
    apiKeyEnv: optionalText(100),
    apiKeySecret: z.preprocess((v) => (typeof v === "string" ? v.trim() : ""), z.string().max(4096)),
    capChat: checkbox,
    capEcho: checkbox,
    capEmbeddings: checkbox,
    concurrency: z.coerce.number({ message: "Enter a whole number." }).int("Enter a whole number.").min(1, "At least 1.").max(1024, "At most 1024."),
    notes: optionalText(5000),
    /** Embeddings for SEAT from another served model (vLLM, Ollama, OpenAI): its id, and its host if different. */
    embeddingsModelId: optionalText(200),
    embeddingsBaseUrl: optionalText(500).pipe(
      z.string().refine((v) => v === "" || (isHttpUrl(v) && !hasUserInfo(v)), {
        message: "Enter an http:// or https:// URL without credentials, e.g. http://localhost:8001/v1.",
      }),
    ),
    embeddingsApiKeyEnv: optionalText(100),
  })
  .superRefine((v, ctx) => {
    if (v.embeddingsApiKeyEnv) {
      const nameError = keyVariableNameError(v.embeddingsApiKeyEnv);
      if (nameError) ctx.addIssue({ code: "custom", path: ["embeddingsApiKeyEnv"], message: nameError });
      else if (!v.embeddingsBaseUrl)
        ctx.addIssue({
          code: "custom",
          path: ["embeddingsApiKeyEnv"],
          message: "A separate key needs a separate embeddings base URL (on the model's own endpoint its key is used).",
        });
    }
    if (v.credentialMode === "env") {
      const nameError = keyVariableNameError(v.apiKeyEnv);
      if (nameError) ctx.addIssue({ code: "custom", path: ["apiKeyEnv"], message: nameError });
      else if (!keyVariableValue(v.apiKeyEnv))
        ctx.addIssue({
          code: "custom",
          path: ["apiKeyEnv"],
          message: `Environment variable ${v.apiKeyEnv} is not set for the dashboard: set it and restart, or store the key as a secret.`,
        });
    }
  });

export type ModelInput = z.infer<typeof modelInputSchema>;

function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return (u.protocol === "http:" || u.protocol === "https:") && !!u.hostname;
  } catch {
    return false;
  }
}

function hasUserInfo(v: string): boolean {
  try {
    const u = new URL(v);
    return !!(u.username || u.password);
  } catch {
    return false;
  }
}

/** What the browser may see of a model. */
export interface PublicModel {
  id: string;
  name: string;
  family: string;
  size: string;
  preset: string | null;
  baseUrl: string | null;
  servedModelId: string | null;
  /** last4 is "" for a short key (none of it is shown). */
  credential: { kind: "none" } | { kind: "env"; variable: string; isSet: boolean } | { kind: "secret"; last4: string };
  capChat: boolean;
  capEcho: boolean;
  capEmbeddings: boolean;
  probe: unknown;
  probedAt: string | null;
  concurrency: number;
  notes: string;
  createdAt: string;
  updatedAt: string;
  /** Whether the model can be run: it needs an endpoint and a served model id. */
  runnable: boolean;
  /** The model that embeds for SEAT, when not the generating one. */
  embeddings: { modelId: string; baseUrl: string | null; apiKeyEnv: string | null } | null;
}

export function toPublicModel(m: Model): PublicModel {
  const credential: PublicModel["credential"] = m.apiKeyCipher
    ? { kind: "secret", last4: shownLast4(m.apiKeyLast4) }
    : m.apiKeyEnv
      ? // "Set" only for an allowed name: an older row naming any variable must not tell whether it exists.
        { kind: "env", variable: m.apiKeyEnv, isSet: !!keyVariableValue(m.apiKeyEnv) }
      : { kind: "none" };
  return {
    id: m.id,
    name: m.name,
    family: m.family,
    size: m.size,
    preset: m.preset,
    baseUrl: m.baseUrl,
    servedModelId: m.servedModelId,
    credential,
    capChat: m.capChat,
    capEcho: m.capEcho,
    capEmbeddings: m.capEmbeddings,
    probe: m.probe ?? null,
    probedAt: m.probedAt?.toISOString() ?? null,
    concurrency: m.concurrency,
    notes: m.notes,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
    runnable: !!(m.baseUrl && m.servedModelId),
    embeddings:
      m.embeddingsModelId || m.embeddingsBaseUrl
        ? { modelId: m.embeddingsModelId ?? m.servedModelId ?? "", baseUrl: m.embeddingsBaseUrl, apiKeyEnv: m.embeddingsApiKeyEnv }
        : null,
  };
}

function normaliseBaseUrl(url: string): string | null {
  return url ? url.replace(/\/+$/, "") : null;
}

function credentialColumns(input: ModelInput, existing: Model | null) {
  if (input.credentialMode === "env") return { apiKeyEnv: input.apiKeyEnv, apiKeyCipher: null, apiKeyLast4: null };
  if (input.credentialMode === "secret") {
    if (input.apiKeySecret) {
      return { apiKeyEnv: null, apiKeyCipher: encryptSecret(input.apiKeySecret), apiKeyLast4: last4(input.apiKeySecret) };
    }
    return { apiKeyEnv: null, apiKeyCipher: existing?.apiKeyCipher ?? null, apiKeyLast4: existing?.apiKeyLast4 ?? null };
  }
  return { apiKeyEnv: null, apiKeyCipher: null, apiKeyLast4: null };
}

export async function saveModel(db: Database, raw: unknown, id?: string): Promise<ActionResult<PublicModel>> {
  const parsed = modelInputSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsFromZod(parsed.error) };
  const input = parsed.data;
  const existing = id ? await db.prisma.model.findUnique({ where: { id } }) : null;
  if (id && !existing) return { ok: false, fieldErrors: {}, formError: "This model no longer exists." };
  if (input.credentialMode === "secret" && !input.apiKeySecret && !existing?.apiKeyCipher)
    return { ok: false, fieldErrors: { apiKeySecret: "Enter the API key to store." } };
  // A kept key follows the model to its new base URL otherwise: whoever can edit a model could send it anywhere.
  if (input.credentialMode === "secret" && !input.apiKeySecret && existing?.apiKeyCipher && normaliseBaseUrl(input.baseUrl) !== existing.baseUrl)
    return { ok: false, fieldErrors: { apiKeySecret: "Re-enter the key: the base URL changed, and the stored key is never sent to a new host." } };
  const clash = await db.prisma.model.findFirst({ where: { name: input.name, ...(id ? { NOT: { id } } : {}) } });
  if (clash) return { ok: false, fieldErrors: { name: `A model named "${input.name}" already exists.` } };
  let credentials: ReturnType<typeof credentialColumns>;
  try {
    credentials = credentialColumns(input, existing);
  } catch (err) {
    if (err instanceof CredentialError) return { ok: false, fieldErrors: { apiKeySecret: err.message } };
    throw err;
  }
  const data = {
    name: input.name,
    family: input.family,
    size: input.size,
    preset: input.preset && getPreset(input.preset) ? input.preset : (existing?.preset ?? null),
    baseUrl: normaliseBaseUrl(input.baseUrl),
    servedModelId: input.servedModelId || null,
    ...credentials,
    capChat: input.capChat,
    capEcho: input.capEcho,
    capEmbeddings: input.capEmbeddings,
    concurrency: input.concurrency,
    notes: input.notes,
    embeddingsModelId: input.embeddingsModelId || null,
    embeddingsBaseUrl: normaliseBaseUrl(input.embeddingsBaseUrl),
    embeddingsApiKeyEnv: input.embeddingsBaseUrl ? input.embeddingsApiKeyEnv || null : null,
  };
  try {
    const model = id ? await db.prisma.model.update({ where: { id }, data }) : await db.prisma.model.create({ data });
    return { ok: true, data: toPublicModel(model) };
  } catch (err) {
    // A concurrent insert of the same name loses the race on the unique index.
    if ((err as { code?: string }).code === "P2002") return { ok: false, fieldErrors: { name: `A model named "${input.name}" already exists.` } };
    throw err;
  }
}

export async function deleteModel(db: Database, id: string): Promise<ActionResult> {
  const used = await db.prisma.datasetTeacher.count({ where: { teacherId: id } });
  if (used > 0) return { ok: false, fieldErrors: {}, formError: `This model is a teacher of ${used} dataset(s): delete those datasets first.` };
  const deleted = await db.prisma.model.deleteMany({ where: { id } });
  if (deleted.count === 0) return { ok: false, fieldErrors: {}, formError: "This model no longer exists." };
  return { ok: true, data: undefined };
}

export async function listModels(db: Database): Promise<PublicModel[]> {
  return (await db.prisma.model.findMany({ orderBy: { name: "asc" } })).map(toPublicModel);
}

export async function getModel(db: Database, id: string): Promise<PublicModel | null> {
  const m = await db.prisma.model.findUnique({ where: { id } });
  return m ? toPublicModel(m) : null;
}

/** The stored model row (with its credential columns: server side only), or null. */
export async function getModelRow(db: Database, id: string): Promise<Model | null> {
  return db.prisma.model.findUnique({ where: { id } });
}

/** The model by id or by exact name (the command line accepts either). */
export async function findModel(db: Database, idOrName: string): Promise<Model | null> {
  return (await db.prisma.model.findUnique({ where: { id: idOrName } })) ?? (await db.prisma.model.findUnique({ where: { name: idOrName } }));
}

export class EndpointNotConfiguredError extends errorOfKind("conflict") {}

/** The endpoint the model client talks to, with the credential resolved (server side only). */
export function endpointOf(m: Model): Endpoint {
  if (!m.baseUrl || !m.servedModelId) throw new EndpointNotConfiguredError(`Model "${m.name}" has no endpoint yet: add its base URL and served model id.`);
  const apiKey = resolveApiKey(m);
  const endpoint: Endpoint = { baseUrl: m.baseUrl, modelId: m.servedModelId, apiKey, concurrency: m.concurrency, singleChoice: storedSingleChoice(m.probe) };
  if (m.embeddingsModelId || m.embeddingsBaseUrl) {
    // On another host only its own key is sent, never the model's.
    const elsewhere = !!m.embeddingsBaseUrl && m.embeddingsBaseUrl !== m.baseUrl;
    endpoint.embeddings = {
      baseUrl: m.embeddingsBaseUrl ?? m.baseUrl,
      modelId: m.embeddingsModelId ?? m.servedModelId,
      apiKey: elsewhere ? resolveApiKey({ apiKeyEnv: m.embeddingsApiKeyEnv, apiKeyCipher: null }) : apiKey,
      concurrency: m.concurrency,
    };
  }
  return endpoint;
}

/** What the stored probe (or an earlier refusal) says about n > 1, greedy and sampled. */
function storedSingleChoice(probe: unknown): Endpoint["singleChoice"] {
  const sc = probe && typeof probe === "object" ? (probe as { singleChoice?: unknown }).singleChoice : undefined;
  if (!sc || typeof sc !== "object") return undefined;
  const o = sc as Record<string, unknown>;
  return { greedy: o.greedy === true, sampled: o.sampled === true };
}
