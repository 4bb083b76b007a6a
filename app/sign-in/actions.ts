"use server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { formAction, type FormState } from "@/lib/actions";
import { safeNext, setUpFirstAdmin, signInWithPassword, signOut, startOidcSignIn } from "@/lib/access/session";

export type { FormState };

const next = z.string().max(2000).optional();

/** Email and password; on success the session cookie is set and the browser goes where it was headed. */
export const signInAction = formAction(
  z.object({ email: z.string().trim().min(1, "Enter your email address.").max(254), password: z.string().min(1, "Enter your password.").max(256), next }),
  async ({ email, password, next }) => {
    await signInWithPassword(email, password);
    redirect(safeNext(next));
  },
  { requires: "anyone", secret: ["password"] },
);

/** The single sign-on button: sends the browser to the OpenID Connect issuer. */
export const oidcSignInAction = formAction(
  z.object({ next }),
  async ({ next }) => {
    redirect(await startOidcSignIn(safeNext(next)));
  },
  { requires: "anyone" },
);

export const signOutAction = formAction(
  z.object({}),
  async () => {
    await signOut();
    redirect("/sign-in");
  },
  { requires: "anyone" },
);

/** The one-time setup link's form: the first admin's email and password. */
export const setupAction = formAction(
  z
    .object({
      token: z.string().min(1).max(200),
      email: z.string().trim().min(1, "Enter your email address.").max(254),
      password: z.string().min(10, "A password has at least 10 characters.").max(256),
      confirm: z.string(),
    })
    .refine((v) => v.password === v.confirm, { message: "The two passwords differ.", path: ["confirm"] }),
  async ({ token, email, password }) => {
    await setUpFirstAdmin(token, email, password);
    redirect("/users");
  },
  { requires: "anyone", secret: ["password", "confirm", "token"] },
);
