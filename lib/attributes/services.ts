// The services judge and classifier attributes call, opened once per run or dataset: each judge's endpoint (its
// registered model) and each classifier's scorer (configured on /scorers), by attribute version.
import type { Database } from "@/lib/db/client";
import type { Endpoint } from "@/lib/llm/endpoint";
import { openScorer, resolveScorer } from "@/lib/scorers/resolve";
import type { ToxicityScorer } from "@/lib/scorers/types";
import { type JudgeCall, type JudgedScore, judgeEndpoints, judgeOutput } from "./judge";
import type { AttributeVersionSnapshot } from "./spec";
import { AttributeError } from "./store";

export interface AttributeServices {
  judges: Map<string, Endpoint>;
  classifiers: Map<string, ToxicityScorer>;
}

export async function openAttributeServices(db: Database, attributes: readonly AttributeVersionSnapshot[]): Promise<AttributeServices> {
  const classifiers = new Map<string, ToxicityScorer>();
  for (const a of attributes) {
    if (a.definition.kind !== "classifier") continue;
    const config = await resolveScorer(db, { name: a.definition.scorer }).catch((err: Error) => {
      throw new AttributeError(`attribute "${a.name}" (version ${a.version}): ${err.message}`);
    });
    if (!config) throw new AttributeError(`attribute "${a.name}": no scorer named "${a.definition.scorer}"`);
    classifiers.set(a.versionId, await openScorer(db, config));
  }
  return { judges: await judgeEndpoints(db, attributes), classifiers };
}

/** Whether measuring these attributes calls a service (judge, classifier) rather than computing in-process. */
export function needsServices(attributes: readonly AttributeVersionSnapshot[]): boolean {
  return attributes.some((a) => a.definition.kind !== "lexicon");
}

/** A judge's or classifier's score of one output (the request's failure after its retries is thrown). */
export async function serviceScore(
  services: AttributeServices,
  a: AttributeVersionSnapshot,
  prompt: string,
  output: string,
  call: JudgeCall = {},
): Promise<JudgedScore> {
  const d = a.definition;
  if (d.kind === "judge") {
    const endpoint = services.judges.get(a.versionId);
    if (!endpoint) throw new AttributeError(`no judge endpoint opened for attribute "${a.name}"`);
    return { ...(await judgeOutput(endpoint, d, prompt, output, call)), version: a.version };
  }
  if (d.kind === "classifier") {
    const scorer = services.classifiers.get(a.versionId);
    if (!scorer) throw new AttributeError(`no scorer opened for attribute "${a.name}"`);
    const r = await scorer.score(output, { signal: call.signal });
    if (r === null) return { value: null, raw: [], values: [null], error: "an empty text is not scored", version: a.version };
    const key = Object.keys(r).find((k) => k.toUpperCase() === d.attribute.toUpperCase());
    const raw = [JSON.stringify(r)];
    if (key === undefined) return { value: null, raw, values: [null], error: `the scorer's answer has no ${d.attribute}`, version: a.version };
    return { value: r[key], raw, values: [r[key]], version: a.version };
  }
  throw new AttributeError(`attribute "${a.name}" is computed in-process`);
}
