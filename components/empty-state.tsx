import type { ReactNode } from "react";

/** What a page shows when it has nothing yet: what this place is for and what to do next. */
export function EmptyState({ title, children, action }: { title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <section className="empty" aria-label={title}>
      <h2>{title}</h2>
      <div className="muted">{children}</div>
      {action ? (
        <div className="actions" style={{ justifyContent: "center", marginTop: "1rem" }}>
          {action}
        </div>
      ) : null}
    </section>
  );
}
