/** Toxicity scorers: Perspective API, OpenAI-compatible moderation, generic HTTP classifier. */
export * from "./types";
export * from "./config";
export { perspectiveRequest, parsePerspectiveResponse, perspectiveScorer } from "./perspective";
export { moderationScorer, moderationToAttributes } from "./moderation";
export { httpClassifierScorer, classifierToAttributes } from "./http-classifier";
