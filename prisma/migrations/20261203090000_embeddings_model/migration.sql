-- Embeddings (SEAT) may come from a second served model, on the same or another endpoint.
ALTER TABLE "Model" ADD COLUMN "embeddingsModelId" TEXT;
ALTER TABLE "Model" ADD COLUMN "embeddingsBaseUrl" TEXT;
ALTER TABLE "Model" ADD COLUMN "embeddingsApiKeyEnv" TEXT;
