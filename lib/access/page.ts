// A page that needs more than the viewer role every page needs (proxy.ts): the Users page (admin). Returns the caller,
// or null when their role is too low (the page then says so instead of its content).
import { redirect } from "next/navigation";
import { isLineageError } from "@/lib/errors";
import { type Actor, enforce, type Role } from "./roles";

export async function pageActor(required: Role): Promise<Actor | null> {
  try {
    return await enforce(required);
  } catch (err) {
    if (isLineageError(err, "unauthenticated")) redirect("/sign-in");
    if (isLineageError(err, "forbidden")) return null;
    throw err;
  }
}
