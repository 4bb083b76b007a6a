// The figure palette lives with the figure layouts (lib/figures/palette.ts); re-exported for the components.
export * from "@/lib/figures/palette";
