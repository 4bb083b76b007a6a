// Embeddings (SEAT) in batches. encoding_format "float" is asked for explicitly: the openai package would
// otherwise ask for base64, which several OpenAI-compatible servers do not implement.

import type { Endpoint } from "./endpoint";
import { callEndpoint, malformed, type CallOptions } from "./request";

export interface EmbedOptions extends CallOptions {
  /** Texts per request; default 64. */
  batchSize?: number;
}

/** Embeds with the model's embeddings model when it names one (endpoint.embeddings), else with the model itself. */
export async function embed(model: Endpoint, texts: string[], opts: EmbedOptions = {}): Promise<number[][]> {
  const endpoint = model.embeddings ?? model;
  const batchSize = Math.max(1, Math.floor(opts.batchSize ?? 64));
  const out: number[][] = new Array(texts.length);
  const batches: number[] = [];
  for (let i = 0; i < texts.length; i += batchSize) batches.push(i);
  const op = "embeddings";
  await Promise.all(
    batches.map(async (start) => {
      const input = texts.slice(start, start + batchSize);
      const { value } = await callEndpoint(
        endpoint,
        op,
        async ({ client, requestOptions }) => {
          const res = await client.embeddings.create({ model: endpoint.modelId, input, encoding_format: "float" }, requestOptions);
          if (!res || !Array.isArray(res.data) || res.data.length !== input.length) {
            throw malformed(op, endpoint, `${res?.data?.length ?? 0} embeddings for ${input.length} inputs`);
          }
          for (const d of res.data) {
            if (!Array.isArray(d.embedding) || d.embedding.length === 0 || typeof d.embedding[0] !== "number")
              throw malformed(op, endpoint, "an embedding is not a number array");
          }
          return res;
        },
        opts,
      );
      value.data.forEach((d, pos) => {
        out[start + (typeof d.index === "number" ? d.index : pos)] = d.embedding;
      });
    }),
  );
  const dim = out[0]?.length;
  if (out.some((v) => !v || v.length !== dim)) throw malformed(op, endpoint, "embeddings of different lengths");
  return out;
}
