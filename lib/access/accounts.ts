// Users, API tokens and the one-time setup link: the records behind sign-in (lib/access/auth.ts) and roles
// (lib/access/roles.ts). Shared by the Users and Tokens pages and `lineage users …`.
import { randomUUID } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { badInput, conflict, LineageError, notFound } from "@/lib/errors";
import { ROLES, type Role, roleAtLeast } from "./role-names";
import { hashToken, newSecretToken } from "./secret-token";

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(3, "Enter an email address.")
  .max(254, "An email address has at most 254 characters.")
  .regex(/^[^\s@]+@[^\s@]+$/, "Enter an email address such as ada@example.org.");
export const passwordSchema = z.string().min(10, "A password has at least 10 characters.").max(256, "A password has at most 256 characters.");
export const roleSchema = z.enum(ROLES, { message: "Choose viewer, editor or admin." });

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: Date;
  /** How they sign in: "password", "oidc". */
  methods: string[];
}

function asRole(value: string): Role {
  return (ROLES as readonly string[]).includes(value) ? (value as Role) : "viewer";
}

// Once an account exists the dashboard never goes back to open access in this process (removing the last user is
// refused), so a true answer is kept; a false one is asked again (another process may have added the first admin).
const globalForAccounts = globalThis as unknown as { __lineageAccounts?: WeakSet<Db> };

/** Whether any account exists: then every request must sign in (lib/access/roles.ts). */
export async function accountsExist(prisma: Db): Promise<boolean> {
  const known = (globalForAccounts.__lineageAccounts ??= new WeakSet());
  if (known.has(prisma)) return true;
  const found = (await prisma.user.findFirst({ select: { id: true } })) !== null;
  if (found) known.add(prisma);
  return found;
}

const WITH_METHODS = { accounts: { select: { providerId: true } } } as const;

/** A user as lists show it: its sign-in methods ("password" or the provider) from its accounts. */
function userRow(u: {
  id: string;
  email: string;
  name: string;
  role: string;
  disabled: boolean;
  createdAt: Date;
  accounts: { providerId: string }[];
}): UserRow {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: asRole(u.role),
    disabled: u.disabled,
    createdAt: u.createdAt,
    methods: [...new Set(u.accounts.map((a) => (a.providerId === "credential" ? "password" : a.providerId)))],
  };
}

export async function listUsers(prisma: Db): Promise<UserRow[]> {
  const rows = await prisma.user.findMany({ orderBy: { email: "asc" }, include: WITH_METHODS });
  return rows.map(userRow);
}

export async function findUser(prisma: Db, idOrEmail: string): Promise<UserRow | null> {
  const key = idOrEmail.trim();
  const u = await prisma.user.findFirst({
    where: { OR: [{ id: key }, { email: key.toLowerCase() }] },
    include: WITH_METHODS,
  });
  return u ? userRow(u) : null;
}

/**
 * Adds a user. With a password they can sign in with it; without one they are invited: they sign in through the
 * OpenID Connect issuer with this email.
 */
export async function addUser(prisma: Db, input: { email: string; role: Role; password?: string; name?: string }): Promise<UserRow> {
  const email = emailSchema.safeParse(input.email);
  if (!email.success) throw badInput(email.error.issues[0].message, "email");
  if (input.password !== undefined) {
    const pw = passwordSchema.safeParse(input.password);
    if (!pw.success) throw badInput(pw.error.issues[0].message, "password");
  }
  if (await prisma.user.findUnique({ where: { email: email.data }, select: { id: true } }))
    throw conflict(`A user with the email ${email.data} exists already.`, "email");
  const id = randomUUID();
  const now = new Date();
  const passwordHash = input.password !== undefined ? await hashPassword(input.password) : null;
  await prisma.$transaction([
    prisma.user.create({
      data: {
        id,
        email: email.data,
        name: input.name?.trim() || email.data.split("@")[0],
        role: input.role,
        emailVerified: false,
        createdAt: now,
        updatedAt: now,
      },
    }),
    ...(passwordHash
      ? [
          prisma.account.create({
            data: { id: randomUUID(), accountId: id, providerId: "credential", userId: id, password: passwordHash, createdAt: now, updatedAt: now },
          }),
        ]
      : []),
  ]);
  return (await findUser(prisma, id))!;
}

async function requireUser(prisma: Db, idOrEmail: string): Promise<UserRow> {
  const user = await findUser(prisma, idOrEmail);
  if (!user) throw notFound(`No user ${idOrEmail}.`);
  return user;
}

/** Refuses a change that would leave no enabled admin (nobody could manage users any more). */
async function keepAnAdmin(prisma: Db, userId: string): Promise<void> {
  const others = await prisma.user.count({ where: { role: "admin", disabled: false, id: { not: userId } } });
  if (others === 0) throw conflict("This is the only enabled admin: make another user admin first.");
}

export async function setRole(prisma: Db, idOrEmail: string, role: Role): Promise<UserRow> {
  const user = await requireUser(prisma, idOrEmail);
  if (user.role === "admin" && role !== "admin") await keepAnAdmin(prisma, user.id);
  await prisma.user.update({ where: { id: user.id }, data: { role } });
  // A token never acts above its maker: tokens of a higher role are capped at read time (tokenActor), nothing to rewrite.
  return { ...user, role };
}

/** Disables (or enables) a user: a disabled user's sessions are ended and their tokens stop working. */
export async function setDisabled(prisma: Db, idOrEmail: string, disabled: boolean): Promise<UserRow> {
  const user = await requireUser(prisma, idOrEmail);
  if (disabled && user.role === "admin") await keepAnAdmin(prisma, user.id);
  await prisma.$transaction([
    prisma.user.update({ where: { id: user.id }, data: { disabled } }),
    ...(disabled ? [prisma.session.deleteMany({ where: { userId: user.id } })] : []),
  ]);
  return { ...user, disabled };
}

export async function removeUser(prisma: Db, idOrEmail: string): Promise<UserRow> {
  const user = await requireUser(prisma, idOrEmail);
  if (user.role === "admin") await keepAnAdmin(prisma, user.id);
  await prisma.user.delete({ where: { id: user.id } });
  return user;
}

// ---- API tokens -------------------------------------------------------------------------------------------------

export const TOKEN_PREFIX = "lin_";

export interface TokenRow {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  userId: string;
  userEmail: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export const tokenNameSchema = z.string().trim().min(1, "Name the token (what script uses it).").max(80, "A token's name has at most 80 characters.");

/** Makes a token for `userId`; returns the token itself, which is shown once and never stored. */
export async function createToken(prisma: Db, input: { userId: string; name: string; role: Role }): Promise<{ token: string; row: TokenRow }> {
  const name = tokenNameSchema.safeParse(input.name);
  if (!name.success) throw badInput(name.error.issues[0].message, "name");
  const user = await prisma.user.findUnique({ where: { id: input.userId } });
  if (!user || user.disabled) throw notFound("No such user.");
  if (!roleAtLeast(asRole(user.role), input.role))
    throw new LineageError(`A token's role can be at most your own (${user.role}).`, { kind: "forbidden", field: "role" });
  const token = `${TOKEN_PREFIX}${newSecretToken()}`;
  const row = await prisma.apiToken.create({
    data: { name: name.data, role: input.role, userId: user.id, tokenHash: hashToken(token), prefix: token.slice(0, TOKEN_PREFIX.length + 6) },
  });
  return { token, row: { ...row, role: asRole(row.role), userEmail: user.email } };
}

/** Tokens of one user, or of everyone (admins) when userId is null; newest first. */
export async function listTokens(prisma: Db, userId: string | null): Promise<TokenRow[]> {
  const rows = await prisma.apiToken.findMany({
    where: userId ? { userId } : {},
    orderBy: { createdAt: "desc" },
    include: { user: { select: { email: true } } },
  });
  return rows.map(({ user, tokenHash: _h, ...t }) => ({ ...t, role: asRole(t.role), userEmail: user.email }));
}

/** Revokes a token of `userId` (or any token when `userId` is null: an admin). */
export async function revokeToken(prisma: Db, id: string, userId: string | null): Promise<void> {
  const token = await prisma.apiToken.findUnique({ where: { id } });
  if (!token || (userId !== null && token.userId !== userId)) throw notFound("No such token.");
  if (!token.revokedAt) await prisma.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
}

/** The user and role a presented token acts as, or null when it is unknown, revoked or its user is disabled. */
export async function tokenActor(prisma: Db, token: string): Promise<{ userId: string; name: string; role: Role } | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const row = await prisma.apiToken.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
  if (!row || row.revokedAt || row.user.disabled) return null;
  // Its role, capped at its maker's current role (a demoted maker's tokens are demoted too).
  const tokenRole = asRole(row.role);
  const userRole = asRole(row.user.role);
  const role = roleAtLeast(userRole, tokenRole) ? tokenRole : userRole;
  // Last use, to the minute: one write a minute per token at most.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000)
    await prisma.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } }).catch(() => undefined);
  return { userId: row.userId, name: `${row.name} (token of ${row.user.email})`, role };
}

// ---- The one-time setup link ----------------------------------------------------------------------------------

const SETUP_IDENTIFIER = "lineage-setup";
const SETUP_HOURS = 24;

/** Issues a new setup link's token (replacing any earlier one), valid SETUP_HOURS hours, while no account exists. */
export async function issueSetupToken(prisma: Db): Promise<string> {
  const token = newSecretToken();
  const now = new Date();
  await prisma.$transaction([
    prisma.verification.deleteMany({ where: { identifier: SETUP_IDENTIFIER } }),
    prisma.verification.create({
      data: {
        id: randomUUID(),
        identifier: SETUP_IDENTIFIER,
        value: hashToken(token),
        expiresAt: new Date(now.getTime() + SETUP_HOURS * 3600_000),
        createdAt: now,
        updatedAt: now,
      },
    }),
  ]);
  return token;
}

/** Whether a setup token is the current, unexpired one and no account exists yet. */
export async function setupTokenValid(prisma: Db, token: string): Promise<boolean> {
  if (!token || (await accountsExist(prisma))) return false;
  const row = await prisma.verification.findFirst({ where: { identifier: SETUP_IDENTIFIER, value: hashToken(token) } });
  return !!row && row.expiresAt.getTime() > Date.now();
}

/** Creates the first admin with a valid setup token, which is used up. */
export async function completeSetup(prisma: Db, token: string, input: { email: string; password: string }): Promise<UserRow> {
  if (!(await setupTokenValid(prisma, token)))
    throw badInput("This setup link is used up or expired: restart the dashboard for a new one, or use `lineage users add --admin`.");
  const user = await addUser(prisma, { email: input.email, password: input.password, role: "admin" });
  await prisma.verification.deleteMany({ where: { identifier: SETUP_IDENTIFIER } });
  return user;
}
