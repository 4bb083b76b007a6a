// For the reviewer-link browser test: moves the expiry of the links with a label into the past, on the embedded
// database of a stopped dashboard (the data layer's way to get an expired link without waiting a day).
//   node --import tsx tests/support/expire-share-link.ts <LINEAGE_HOME> <label>
import { openDatabase } from "@/lib/db/client";

const [home, label] = process.argv.slice(2);
if (!home || !label) throw new Error("usage: expire-share-link.ts <LINEAGE_HOME> <label>");
const db = await openDatabase({ home });
try {
  const { count } = await db.prisma.shareLink.updateMany({ where: { label }, data: { expiresAt: new Date(Date.now() - 60_000) } });
  if (count === 0) throw new Error(`no link labelled ${label}`);
  process.stdout.write(`${count}\n`);
} finally {
  await db.close();
}
