-- Best-of-k on custom attributes (docs/active-inheritance.md): scores cached per candidate and attribute version,
-- selections closest to a value.
-- AlterEnum
ALTER TYPE "Direction" ADD VALUE 'closest';

-- AlterTable
ALTER TABLE "Selection" ADD COLUMN     "attributeVersionId" TEXT,
ADD COLUMN     "targetValue" DOUBLE PRECISION;

-- CreateTable
CREATE TABLE "CandidateScore" (
    "candidateId" INTEGER NOT NULL,
    "attributeVersionId" TEXT NOT NULL,
    "value" DOUBLE PRECISION,
    "raw" JSONB,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CandidateScore_pkey" PRIMARY KEY ("attributeVersionId","candidateId")
);

-- AddForeignKey
ALTER TABLE "Selection" ADD CONSTRAINT "Selection_attributeVersionId_fkey" FOREIGN KEY ("attributeVersionId") REFERENCES "AttributeVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CandidateScore" ADD CONSTRAINT "CandidateScore_candidateId_fkey" FOREIGN KEY ("candidateId") REFERENCES "Candidate"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CandidateScore" ADD CONSTRAINT "CandidateScore_attributeVersionId_fkey" FOREIGN KEY ("attributeVersionId") REFERENCES "AttributeVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;
