// Where a comparison's view sends its requests: the dashboard's /compare and its routes, or a reviewer link's own
// page and routes (/share/<token>, /api/share/<token>/…), which read only the link's runs. The same components
// render both (components/comparison-view.tsx); only these addresses, and whether links to the rest of the
// dashboard are shown, differ.
import { compareQuery, type CompareQueryOptions } from "./params";

export interface CompareEndpoints {
  /** The page itself, for the samples' pages and sort form and the distribution chooser. */
  page: string;
  /** This comparison's page with its settings (reload it). */
  self: string;
  /** What identifies the comparison in the page's own links (runs and reference on /compare; nothing on a link). */
  pageQuery: Record<string, string>;
  /** The table, manifest and samples export; `format=…` and the choices are added. */
  exportUrl: string;
  /** The paired statistics; `metrics=…` is added. */
  pairedUrl: string;
  /** The figure PDF writer (POST a scene). */
  figureUrl: string;
  /** Links to runs, models and the other pages of the dashboard (none on a reviewer link). */
  dashboardLinks: boolean;
}

/** `url` with `query` appended (after `?` or `&`). */
export function withQuery(url: string, query: string): string {
  if (!query) return url;
  return `${url}${url.includes("?") ? (url.endsWith("?") || url.endsWith("&") ? "" : "&") : "?"}${query}`;
}

export function dashboardEndpoints(runIds: readonly string[], refId: string, opts: CompareQueryOptions): CompareEndpoints {
  return {
    page: "/compare",
    self: `/compare?${compareQuery(runIds, refId, opts)}`,
    pageQuery: { runs: runIds.join(","), ref: refId },
    exportUrl: `/api/export/compare?${compareQuery(runIds, refId, opts)}`,
    pairedUrl: `/api/compare/paired?${compareQuery(runIds, refId)}`,
    figureUrl: "/api/export/figure",
    dashboardLinks: true,
  };
}

export function shareEndpoints(token: string): CompareEndpoints {
  const base = `/api/share/${encodeURIComponent(token)}`;
  return {
    page: `/share/${encodeURIComponent(token)}`,
    self: `/share/${encodeURIComponent(token)}`,
    pageQuery: {},
    exportUrl: `${base}/export`,
    pairedUrl: `${base}/paired`,
    figureUrl: `${base}/figure`,
    dashboardLinks: false,
  };
}
