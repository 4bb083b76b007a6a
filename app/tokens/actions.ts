"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { createToken, revokeToken, roleSchema } from "@/lib/access/accounts";
import { formAction, reportAction, type FormState } from "@/lib/actions";
import { getDatabase } from "@/lib/db/client";
import { recordId } from "@/lib/forms";

export type TokenFormState = FormState<{ token: string; name: string; role: string }>;

const needsAccount = "API tokens belong to a user: they exist once the dashboard has accounts (README: Running for a team).";

/** Makes a token of the signed-in user with a role up to theirs; the token is in the result, shown once. */
export const createTokenAction = formAction(
  z.object({ name: z.string().max(200), role: roleSchema }),
  async ({ name, role }, { actor, refuse }) => {
    if (!actor?.userId || actor.via !== "session") return refuse({}, needsAccount);
    const { token, row } = await createToken((await getDatabase()).prisma, { userId: actor.userId, name, role });
    revalidatePath("/tokens");
    return { ok: true, data: { token, name: row.name, role: row.role }, message: `Token ${row.name} created.` };
  },
  { requires: "viewer" },
);

/** Revokes one of the caller's tokens (an admin: anyone's). */
export const revokeTokenAction = reportAction(
  z.object({ id: recordId }),
  async ({ id }, _form, actor) => {
    if (!actor?.userId) return { ok: false, message: needsAccount };
    await revokeToken((await getDatabase()).prisma, id, actor.role === "admin" ? null : actor.userId);
    revalidatePath("/tokens");
    return { ok: true, message: "Token revoked." };
  },
  { requires: "viewer", invalid: "Unknown token." },
);
