import Link from "next/link";
import { EmptyState } from "@/components/empty-state";
import { getDb } from "@/lib/db/client";

export const metadata = { title: "Compare" };

export default async function ComparePage() {
  const db = await getDb();
  const completed = await db.run.count({ where: { status: "completed" } });
  return (
    <>
      <h1>Compare</h1>
      <EmptyState
        title={completed < 2 ? "Nothing to compare yet" : "Choose runs to compare"}
        action={<Link className="button secondary" href="/runs">Go to runs</Link>}
      >
        Comparison lays out base, student(s) and teacher(s) side by side, with the change of every metric and its
        significance. It needs at least two completed runs ({completed} so far).
      </EmptyState>
    </>
  );
}
