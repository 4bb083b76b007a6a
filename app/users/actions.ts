"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { addUser, removeUser, roleSchema, setDisabled, setRole } from "@/lib/access/accounts";
import { formAction, reportAction, type FormState } from "@/lib/actions";
import { getDatabase } from "@/lib/db/client";
import { recordId } from "@/lib/forms";

export type { FormState };

/** Adds a user: with a password, or invited (they sign in through single sign-on with this email). */
export const addUserAction = formAction(
  z.object({ email: z.string().max(254), role: roleSchema, password: z.string().max(256).optional() }),
  async ({ email, role, password }) => {
    const user = await addUser((await getDatabase()).prisma, { email, role, password: password ? password : undefined });
    revalidatePath("/users");
    return { ok: true, data: null, message: `Added ${user.email} (${user.role}).` };
  },
  { requires: "admin", secret: ["password"] },
);

/** A user row's controls: change the role, disable or enable, remove. */
export const userRowAction = reportAction(
  z.object({ id: recordId, intent: z.enum(["set-role", "disable", "enable", "remove"]), role: roleSchema.optional() }),
  async ({ id, intent, role }) => {
    const prisma = (await getDatabase()).prisma;
    let message: string;
    if (intent === "set-role") {
      if (!role) return { ok: false, message: "Choose a role." };
      const u = await setRole(prisma, id, role);
      message = `${u.email} is now ${u.role}.`;
    } else if (intent === "remove") message = `Removed ${(await removeUser(prisma, id)).email}.`;
    else message = `${(await setDisabled(prisma, id, intent === "disable")).email} is ${intent}d.`;
    revalidatePath("/users");
    return { ok: true, message };
  },
  { requires: "admin", invalid: "Unknown user." },
);
