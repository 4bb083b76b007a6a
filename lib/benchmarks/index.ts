/** Benchmark formats, prompt sets, templates and the data source. */
export * from "./errors";
export * from "./csv";
export * from "./templates";
export * from "./registry";
export * from "./data-source";
export * from "./stereoset";
export * from "./crows-pairs";
export * from "./bbq";
export * from "./seat";
export * from "./real-toxicity-prompts";
export * from "./hellaswag";
export * from "./openbookqa";
export * from "./dolly";
export * from "./alpaca";
export * from "./prompt-lists";
export * from "./bold";
export { decodeText, splitLines, parseJsonDocument, parseJsonLines, type TextInput } from "./text";
