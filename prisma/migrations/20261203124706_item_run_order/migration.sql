-- A run's items in id order (the run page's items table, the executor's pending items) read through an index
-- instead of sorting every item of the run.
CREATE INDEX "Item_runId_id_idx" ON "Item"("runId", "id");
