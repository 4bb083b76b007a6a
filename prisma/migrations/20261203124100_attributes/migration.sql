-- Custom attributes and their versions (docs/attributes.md).
-- CreateTable
CREATE TABLE "Attribute" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Attribute_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AttributeVersion" (
    "id" TEXT NOT NULL,
    "attributeId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "unit" TEXT NOT NULL DEFAULT '',
    "direction" TEXT NOT NULL,
    "target" DOUBLE PRECISION,
    "description" TEXT NOT NULL DEFAULT '',
    "definition" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AttributeVersion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Attribute_name_key" ON "Attribute"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Attribute_metric_key" ON "Attribute"("metric");

-- CreateIndex
CREATE UNIQUE INDEX "AttributeVersion_attributeId_version_key" ON "AttributeVersion"("attributeId", "version");

-- AddForeignKey
ALTER TABLE "AttributeVersion" ADD CONSTRAINT "AttributeVersion_attributeId_fkey" FOREIGN KEY ("attributeId") REFERENCES "Attribute"("id") ON DELETE CASCADE ON UPDATE CASCADE;
