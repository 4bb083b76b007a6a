// `lineage users add|list|set-role|remove|disable|enable` and `lineage tokens create|list|revoke`: accounts of a
// dashboard used by a team (README "Running for a team"). The first admin is made here before the first start.
import type { Readable, Writable } from "node:stream";
import { addUser, createToken, findUser, listTokens, listUsers, removeUser, revokeToken, roleSchema, setDisabled, setRole } from "@/lib/access/accounts";
import type { Role } from "@/lib/access/role-names";
import { stringOption } from "./args";
import { withDatabase } from "./database";
import { type CliIO, UsageError } from "./io";
import type { Action } from "./program";

function roleOf(value: unknown, flag: string): Role {
  const r = roleSchema.safeParse(stringOption(value));
  if (!r.success) throw new UsageError(`${flag}: choose viewer, editor or admin`);
  return r.data;
}

async function firstLine(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
    if (Buffer.concat(chunks).includes(10)) break;
  }
  return Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0];
}

/** Reads a line from a terminal without echoing it. */
async function hiddenPrompt(question: string, stdin: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => void }, out: Writable): Promise<string> {
  out.write(question);
  stdin.setRawMode?.(true);
  let line = "";
  try {
    for await (const chunk of stdin) {
      for (const ch of chunk.toString("utf8") as string) {
        if (ch === "\r" || ch === "\n") return line;
        if (ch === "\u0003") throw new UsageError("cancelled");
        if (ch === "\u007f" || ch === "\b") line = line.slice(0, -1);
        else line += ch;
      }
    }
    return line;
  } finally {
    stdin.setRawMode?.(false);
    out.write("\n");
  }
}

async function readPassword(opts: Record<string, unknown>, io: CliIO): Promise<string> {
  const stdin = io.stdin as Readable & { isTTY?: boolean };
  if (opts.passwordStdin === true) return firstLine(stdin);
  if (!stdin.isTTY) throw new UsageError("give the password on standard input with --password-stdin (or run in a terminal to be asked for it)");
  const first = await hiddenPrompt("Password (at least 10 characters): ", stdin, io.stderr);
  const again = await hiddenPrompt("Password again: ", stdin, io.stderr);
  if (first !== again) throw new UsageError("the two passwords differ");
  return first;
}

export const addUserAction: Action = async (opts, _args, io) => {
  const email = stringOption(opts.email) ?? "";
  const role: Role = opts.admin === true ? "admin" : opts.role === undefined ? "viewer" : roleOf(opts.role, "--role");
  const invite = opts.invite === true;
  const password = invite ? undefined : await readPassword(opts, io);
  return withDatabase(async (db) => {
    try {
      const user = await addUser(db.prisma, { email, role, password, name: stringOption(opts.name) });
      io.stdout.write(
        opts.json === true
          ? `${JSON.stringify({ id: user.id, email: user.email, role: user.role })}\n`
          : `added ${user.role} ${user.email} (${user.id})${invite ? ": they sign in through single sign-on with this email" : ""}\n`,
      );
      return 0;
    } catch (err) {
      const field = (err as { field?: string }).field;
      if (field) throw new UsageError(`--${field}: ${(err as Error).message}`);
      throw err;
    }
  });
};

export const listUsersAction: Action = async (opts, _args, io) =>
  withDatabase(async (db) => {
    const users = await listUsers(db.prisma);
    if (opts.json === true) io.stdout.write(`${JSON.stringify(users)}\n`);
    else if (!users.length) io.stdout.write("no users: the dashboard is open to whoever reaches it on loopback\n");
    else for (const u of users) io.stdout.write(`${u.email}\t${u.role}${u.disabled ? "\tdisabled" : ""}\t${u.methods.join(",") || "invited"}\t${u.id}\n`);
    return 0;
  });

export const setRoleAction: Action = async (_opts, args, io) => {
  const role = roleOf(args[1], "<role>");
  return withDatabase(async (db) => {
    const user = await setRole(db.prisma, args[0], role);
    io.stdout.write(`${user.email} is now ${user.role}\n`);
    return 0;
  });
};

export const disableUserAction: Action = async (_opts, args, io) =>
  withDatabase(async (db) => {
    const user = await setDisabled(db.prisma, args[0], true);
    io.stdout.write(`${user.email} is disabled: signed out, and their API tokens stop working\n`);
    return 0;
  });

export const enableUserAction: Action = async (_opts, args, io) =>
  withDatabase(async (db) => {
    const user = await setDisabled(db.prisma, args[0], false);
    io.stdout.write(`${user.email} is enabled\n`);
    return 0;
  });

export const removeUserAction: Action = async (_opts, args, io) =>
  withDatabase(async (db) => {
    const user = await removeUser(db.prisma, args[0]);
    io.stdout.write(`removed ${user.email}\n`);
    return 0;
  });

export const createTokenAction: Action = async (opts, _args, io) =>
  withDatabase(async (db) => {
    const user = await findUser(db.prisma, stringOption(opts.user) ?? "");
    if (!user) throw new UsageError(`--user: no user ${String(opts.user)}`);
    const role = opts.role === undefined ? user.role : roleOf(opts.role, "--role");
    const { token, row } = await createToken(db.prisma, { userId: user.id, name: stringOption(opts.name) ?? "", role });
    if (opts.json === true) io.stdout.write(`${JSON.stringify({ id: row.id, role: row.role, token })}\n`);
    else {
      io.stderr.write(`token ${row.name} (${row.role}, of ${user.email}); it is shown only now:\n`);
      io.stdout.write(`${token}\n`);
    }
    return 0;
  });

export const listTokensAction: Action = async (opts, _args, io) =>
  withDatabase(async (db) => {
    const tokens = await listTokens(db.prisma, null);
    if (opts.json === true) io.stdout.write(`${JSON.stringify(tokens)}\n`);
    else
      for (const t of tokens)
        io.stdout.write(
          `${t.id}\t${t.name}\t${t.role}\t${t.userEmail}\t${t.prefix}…\t${t.revokedAt ? "revoked" : `last used ${t.lastUsedAt?.toISOString() ?? "never"}`}\n`,
        );
    return 0;
  });

export const revokeTokenAction: Action = async (_opts, args, io) =>
  withDatabase(async (db) => {
    await revokeToken(db.prisma, args[0], null);
    io.stdout.write(`revoked token ${args[0]}\n`);
    return 0;
  });
