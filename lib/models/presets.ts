// The six models of "LLM See, LLM Do" with their usual served ids (Hugging Face names, as vLLM and TGI serve them).
// A preset has no endpoint: the user adds the base URL of wherever the model is served before it can run.
export interface ModelPreset {
  key: string;
  name: string;
  family: string;
  size: string;
  servedModelId: string;
  notes: string;
}

export const MODEL_PRESETS: readonly ModelPreset[] = [
  { key: "llama2-7b", name: "LLaMa2-7B", family: "LLaMa 2", size: "7B", servedModelId: "meta-llama/Llama-2-7b-hf", notes: "The paper's student (base model)." },
  {
    key: "llama2-13b",
    name: "LLaMa2-13B",
    family: "LLaMa 2",
    size: "13B",
    servedModelId: "meta-llama/Llama-2-13b-hf",
    notes: "Teacher and student in the paper.",
  },
  {
    key: "mixtral-8x7b",
    name: "Mixtral-8x7B",
    family: "Mixtral",
    size: "8x7B (46.7B)",
    servedModelId: "mistralai/Mixtral-8x7B-Instruct-v0.1",
    notes: "Teacher in the paper.",
  },
  { key: "gemma-7b", name: "Gemma-7B", family: "Gemma", size: "7B", servedModelId: "google/gemma-7b-it", notes: "Teacher in the paper." },
  { key: "aya-23-8b", name: "Aya-23-8B", family: "Aya 23", size: "8B", servedModelId: "CohereForAI/aya-23-8B", notes: "Teacher in the paper." },
  {
    key: "command-r-plus",
    name: "Command-R+",
    family: "Command R",
    size: "104B",
    servedModelId: "CohereForAI/c4ai-command-r-plus",
    notes: "Teacher in the paper.",
  },
];

export function getPreset(key: string): ModelPreset | undefined {
  return MODEL_PRESETS.find((p) => p.key === key);
}
