-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "DerivationMethod" AS ENUM ('passive', 'active');

-- CreateEnum
CREATE TYPE "Direction" AS ENUM ('max', 'min');

-- CreateEnum
CREATE TYPE "SourceSelection" AS ENUM ('single', 'multi');

-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('queued', 'running', 'paused', 'completed', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "StepStatus" AS ENUM ('pending', 'running', 'completed', 'failed', 'unsupported');

-- CreateEnum
CREATE TYPE "ItemStatus" AS ENUM ('pending', 'done', 'failed');

-- CreateEnum
CREATE TYPE "DatasetStatus" AS ENUM ('queued', 'running', 'paused', 'completed', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "JobStatus" AS ENUM ('queued', 'active', 'completed', 'failed');

-- CreateTable
CREATE TABLE "Model" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "family" TEXT NOT NULL DEFAULT '',
    "size" TEXT NOT NULL DEFAULT '',
    "preset" TEXT,
    "baseUrl" TEXT,
    "servedModelId" TEXT,
    "apiKeyEnv" TEXT,
    "apiKeyCipher" TEXT,
    "apiKeyLast4" TEXT,
    "capChat" BOOLEAN NOT NULL DEFAULT true,
    "capEcho" BOOLEAN NOT NULL DEFAULT false,
    "capEmbeddings" BOOLEAN NOT NULL DEFAULT false,
    "probe" JSONB,
    "probedAt" TIMESTAMP(3),
    "concurrency" INTEGER NOT NULL DEFAULT 8,
    "notes" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Model_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Derivation" (
    "id" TEXT NOT NULL,
    "studentId" TEXT NOT NULL,
    "baseModelId" TEXT,
    "method" "DerivationMethod" NOT NULL,
    "targetMetric" TEXT,
    "direction" "Direction",
    "k" INTEGER,
    "selection" "SourceSelection",
    "datasetId" TEXT,
    "datasetLabel" TEXT NOT NULL DEFAULT '',
    "notes" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Derivation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DerivationTeacher" (
    "derivationId" TEXT NOT NULL,
    "teacherId" TEXT NOT NULL,

    CONSTRAINT "DerivationTeacher_pkey" PRIMARY KEY ("derivationId","teacherId")
);

-- CreateTable
CREATE TABLE "Run" (
    "id" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "status" "RunStatus" NOT NULL DEFAULT 'queued',
    "suite" JSONB NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'profile',
    "error" TEXT,
    "notes" TEXT NOT NULL DEFAULT '',
    "codeVersion" TEXT NOT NULL DEFAULT '',
    "seed" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RunBenchmark" (
    "runId" TEXT NOT NULL,
    "benchmark" TEXT NOT NULL,
    "status" "StepStatus" NOT NULL DEFAULT 'pending',
    "total" INTEGER NOT NULL DEFAULT 0,
    "reason" TEXT,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "RunBenchmark_pkey" PRIMARY KEY ("runId","benchmark")
);

-- CreateTable
CREATE TABLE "Item" (
    "id" SERIAL NOT NULL,
    "runId" TEXT NOT NULL,
    "benchmark" TEXT NOT NULL,
    "itemKey" TEXT NOT NULL,
    "sampleIndex" INTEGER NOT NULL DEFAULT 0,
    "status" "ItemStatus" NOT NULL DEFAULT 'pending',
    "prompt" TEXT NOT NULL DEFAULT '',
    "output" TEXT,
    "data" JSONB,
    "finishReason" TEXT,
    "latencyMs" INTEGER,
    "promptTokens" INTEGER,
    "completionTokens" INTEGER,
    "error" TEXT,
    "errorKind" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),
    "scores" JSONB,

    CONSTRAINT "Item_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Aggregate" (
    "runId" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "benchmark" TEXT NOT NULL,
    "value" DOUBLE PRECISION,
    "ciLow" DOUBLE PRECISION,
    "ciHigh" DOUBLE PRECISION,
    "n" INTEGER NOT NULL,
    "details" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Aggregate_pkey" PRIMARY KEY ("runId","metric")
);

-- CreateTable
CREATE TABLE "Dataset" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" "DatasetStatus" NOT NULL DEFAULT 'queued',
    "promptSet" JSONB NOT NULL,
    "k" INTEGER NOT NULL,
    "decoding" JSONB NOT NULL,
    "template" TEXT NOT NULL,
    "mode" TEXT NOT NULL DEFAULT 'chat',
    "filters" JSONB,
    "seed" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "codeVersion" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Dataset_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DatasetTeacher" (
    "datasetId" TEXT NOT NULL,
    "teacherId" TEXT NOT NULL,

    CONSTRAINT "DatasetTeacher_pkey" PRIMARY KEY ("datasetId","teacherId")
);

-- CreateTable
CREATE TABLE "DatasetPrompt" (
    "id" SERIAL NOT NULL,
    "datasetId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "prompt" TEXT NOT NULL,
    "input" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "DatasetPrompt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Candidate" (
    "id" SERIAL NOT NULL,
    "datasetId" TEXT NOT NULL,
    "promptId" INTEGER NOT NULL,
    "teacherId" TEXT NOT NULL,
    "sampleIndex" INTEGER NOT NULL,
    "status" "ItemStatus" NOT NULL DEFAULT 'pending',
    "output" TEXT,
    "finishReason" TEXT,
    "scores" JSONB,
    "latencyMs" INTEGER,
    "completionTokens" INTEGER,
    "error" TEXT,
    "errorKind" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "Candidate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Selection" (
    "id" TEXT NOT NULL,
    "datasetId" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "target" TEXT,
    "direction" "Direction",
    "seed" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Selection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SelectionItem" (
    "selectionId" TEXT NOT NULL,
    "promptId" INTEGER NOT NULL,
    "candidateId" INTEGER NOT NULL,

    CONSTRAINT "SelectionItem_pkey" PRIMARY KEY ("selectionId","promptId")
);

-- CreateTable
CREATE TABLE "Scorer" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "apiKeyEnv" TEXT,
    "apiKeyCipher" TEXT,
    "apiKeyLast4" TEXT,
    "qps" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "options" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Scorer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Job" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "JobStatus" NOT NULL DEFAULT 'queued',
    "runAfter" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedBy" TEXT,
    "lockedUntil" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Job_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Model_name_key" ON "Model"("name");

-- CreateIndex
CREATE INDEX "Derivation_studentId_idx" ON "Derivation"("studentId");

-- CreateIndex
CREATE INDEX "Derivation_baseModelId_idx" ON "Derivation"("baseModelId");

-- CreateIndex
CREATE INDEX "DerivationTeacher_teacherId_idx" ON "DerivationTeacher"("teacherId");

-- CreateIndex
CREATE INDEX "Run_modelId_createdAt_idx" ON "Run"("modelId", "createdAt");

-- CreateIndex
CREATE INDEX "Item_runId_status_idx" ON "Item"("runId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Item_runId_benchmark_itemKey_sampleIndex_key" ON "Item"("runId", "benchmark", "itemKey", "sampleIndex");

-- CreateIndex
CREATE UNIQUE INDEX "DatasetPrompt_datasetId_index_key" ON "DatasetPrompt"("datasetId", "index");

-- CreateIndex
CREATE INDEX "Candidate_datasetId_status_idx" ON "Candidate"("datasetId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Candidate_datasetId_promptId_teacherId_sampleIndex_key" ON "Candidate"("datasetId", "promptId", "teacherId", "sampleIndex");

-- CreateIndex
CREATE INDEX "Selection_datasetId_createdAt_idx" ON "Selection"("datasetId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Scorer_name_key" ON "Scorer"("name");

-- CreateIndex
CREATE INDEX "Job_status_runAfter_idx" ON "Job"("status", "runAfter");

-- AddForeignKey
ALTER TABLE "Derivation" ADD CONSTRAINT "Derivation_studentId_fkey" FOREIGN KEY ("studentId") REFERENCES "Model"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Derivation" ADD CONSTRAINT "Derivation_baseModelId_fkey" FOREIGN KEY ("baseModelId") REFERENCES "Model"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Derivation" ADD CONSTRAINT "Derivation_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DerivationTeacher" ADD CONSTRAINT "DerivationTeacher_derivationId_fkey" FOREIGN KEY ("derivationId") REFERENCES "Derivation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DerivationTeacher" ADD CONSTRAINT "DerivationTeacher_teacherId_fkey" FOREIGN KEY ("teacherId") REFERENCES "Model"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Run" ADD CONSTRAINT "Run_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "Model"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RunBenchmark" ADD CONSTRAINT "RunBenchmark_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Item" ADD CONSTRAINT "Item_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Aggregate" ADD CONSTRAINT "Aggregate_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DatasetTeacher" ADD CONSTRAINT "DatasetTeacher_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DatasetTeacher" ADD CONSTRAINT "DatasetTeacher_teacherId_fkey" FOREIGN KEY ("teacherId") REFERENCES "Model"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DatasetPrompt" ADD CONSTRAINT "DatasetPrompt_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Candidate" ADD CONSTRAINT "Candidate_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Candidate" ADD CONSTRAINT "Candidate_promptId_fkey" FOREIGN KEY ("promptId") REFERENCES "DatasetPrompt"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Candidate" ADD CONSTRAINT "Candidate_teacherId_fkey" FOREIGN KEY ("teacherId") REFERENCES "Model"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Selection" ADD CONSTRAINT "Selection_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SelectionItem" ADD CONSTRAINT "SelectionItem_selectionId_fkey" FOREIGN KEY ("selectionId") REFERENCES "Selection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SelectionItem" ADD CONSTRAINT "SelectionItem_candidateId_fkey" FOREIGN KEY ("candidateId") REFERENCES "Candidate"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- CreateView: per-item metric values as rows, read-only, from "Item".scores (the storage).
CREATE VIEW "Score" AS
SELECT i."id" AS "itemId", i."runId", m.key AS "metric",
       CASE WHEN jsonb_typeof(m.value) = 'number' THEN (m.value)::text::double precision END AS "value"
FROM "Item" i
CROSS JOIN LATERAL jsonb_each(i."scores") AS m
WHERE i."scores" IS NOT NULL AND jsonb_typeof(i."scores") = 'object';

-- CreateIndex: at most one open (queued or active) job per kind and key, so concurrent enqueues cannot create two.
CREATE UNIQUE INDEX "Job_open_key" ON "Job"("kind", ("payload"->>'key')) WHERE "status" IN ('queued', 'active');
