// What the Item table takes on disk: its heap, its TOAST table and every index, as the database reports them.
import type { Database } from "@/lib/db/client";

export interface ItemTableSize {
  items: number;
  heap: number;
  toast: number;
  indexes: number;
  total: number;
}

export async function itemTableSize(db: Database): Promise<ItemTableSize> {
  const { rows } = await db.sql.query<{ items: number; heap: string; toast: string; indexes: string; total: string }>(
    `SELECT (SELECT count(*)::int FROM "Item") AS items,
            pg_relation_size('"Item"') AS heap,
            pg_table_size('"Item"') - pg_relation_size('"Item"') AS toast,
            pg_indexes_size('"Item"') AS indexes,
            pg_total_relation_size('"Item"') AS total`,
  );
  const r = rows[0];
  return { items: r.items, heap: Number(r.heap), toast: Number(r.toast), indexes: Number(r.indexes), total: Number(r.total) };
}
