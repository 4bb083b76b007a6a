-- Re-judging a sample of a run's judged outputs (docs/attributes.md, "Judge reliability").
-- CreateTable
CREATE TABLE "Rejudge" (
    "id" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "sampleSize" INTEGER NOT NULL,
    "seed" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Rejudge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RejudgeScore" (
    "rejudgeId" TEXT NOT NULL,
    "itemId" INTEGER NOT NULL,
    "first" DOUBLE PRECISION NOT NULL,
    "value" DOUBLE PRECISION,
    "raw" JSONB NOT NULL,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RejudgeScore_pkey" PRIMARY KEY ("rejudgeId","itemId")
);

-- CreateIndex
CREATE INDEX "Rejudge_runId_idx" ON "Rejudge"("runId");

-- CreateIndex
CREATE UNIQUE INDEX "Rejudge_versionId_runId_sampleSize_seed_key" ON "Rejudge"("versionId", "runId", "sampleSize", "seed");

-- AddForeignKey
ALTER TABLE "Rejudge" ADD CONSTRAINT "Rejudge_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "AttributeVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Rejudge" ADD CONSTRAINT "Rejudge_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RejudgeScore" ADD CONSTRAINT "RejudgeScore_rejudgeId_fkey" FOREIGN KEY ("rejudgeId") REFERENCES "Rejudge"("id") ON DELETE CASCADE ON UPDATE CASCADE;
