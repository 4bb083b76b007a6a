import type { ReactNode } from "react";

/**
 * Untrusted text (model, run and dataset names, tags, notes, prompts, outputs) in a bidirectional isolate: a
 * right-to-left override (U+202E) or embedding inside it ends with it instead of reversing what follows on the line
 * (the next cell's label, a badge, the rest of a sentence). `<bdi>` also picks the text's own direction, so Arabic or
 * Hebrew names still read right to left. Block texts (outputs, prompts) take `dir="auto"` on their element instead.
 */
export function Isolate({ children }: { children: ReactNode }) {
  return <bdi>{children}</bdi>;
}
