-- Runs carry user tags and a short user comment (distinct from "notes", which holds what the execution noted).
ALTER TABLE "Run" ADD COLUMN "tags" TEXT[] NOT NULL DEFAULT '{}';
ALTER TABLE "Run" ADD COLUMN "comment" TEXT NOT NULL DEFAULT '';
CREATE INDEX "Run_createdAt_idx" ON "Run"("createdAt");
CREATE INDEX "Run_tags_idx" ON "Run" USING GIN ("tags");
