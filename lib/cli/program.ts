// The `lineage` command line: every command, argument and option is declared here once, and commander generates
// the help (`lineage --help`, `lineage <command> --help`) from these declarations. Implementations are imported
// only when their command runs, so that `lineage help` never loads the database client.
import { Command, CommanderError, Option } from "commander";
import { diskFullError } from "@/lib/db/damage";
import { lineageHome } from "@/lib/db/config";
import { type ErrorKind, LineageError } from "@/lib/errors";
import { type CliIO, EXIT_BAD_INPUT } from "./io";

/** The parsed options of a command (commander's camelCase keys: --base-url → baseUrl). */
export type Opts = Record<string, string | boolean | undefined>;
export type Action = (opts: Opts, args: string[], io: CliIO) => Promise<number>;

interface Spec {
  /** e.g. "models add" */
  name: string;
  summary: string;
  args?: string[];
  options?: (string | [flags: string, description: string, required?: boolean])[];
  load: () => Promise<Action>;
  /** Shown after the generated option list. */
  after?: string;
}

const JSON_OPT: [string, string] = ["--json", "print a machine-readable JSON summary as the last line of stdout"];

export const COMMANDS: Spec[] = [
  {
    name: "text-metrics",
    summary: 'textual metrics of JSON Lines {"id","text"} (no database)',
    options: [
      ["--in <file>", "read this file instead of stdin"],
      ["--out <file>", "write to this file instead of stdout"],
      ["--threads <n>", "threads computing the metrics (default: one per core, at most 4)"],
    ],
    load: async () => (await import("./text-metrics")).textMetricsAction,
  },
  {
    name: "calibration",
    summary: 'calibration metrics of {"probs","labels"} or {"confidence","correct"} (no database)',
    options: [["--in <file>", "read this file instead of stdin"]],
    load: async () => (await import("./calibration")).calibrationAction,
  },
  {
    name: "models add",
    summary: "register a model behind an OpenAI-compatible endpoint",
    options: [
      ["--name <name>", "unique model name", true],
      ["--base-url <url>", "the API root, e.g. http://localhost:8000/v1", true],
      ["--model-id <id>", "the served model id (vLLM --served-model-name, llama.cpp --alias, an Ollama tag)", true],
      ["--api-key-env <var>", "name of the environment variable holding the API key (e.g. OPENAI_API_KEY)"],
      ["--concurrency <n>", "requests in flight at once (default 8)"],
      ["--embeddings-model-id <id>", "SEAT: the served id of a separate embedding model (vLLM, Ollama, OpenAI)"],
      ["--embeddings-base-url <url>", "SEAT: the embedding model's API root, when on another server"],
      ["--embeddings-api-key-env <var>", "SEAT: the variable holding that other server's key"],
      ["--family <family>", "e.g. LLaMa 2"],
      ["--size <size>", "e.g. 7B"],
      JSON_OPT,
    ],
    load: async () => (await import("./models")).addModelAction,
  },
  {
    name: "models list",
    summary: "list the registered models",
    options: [JSON_OPT],
    load: async () => (await import("./models")).listModelsAction,
  },
  {
    name: "attributes add",
    summary: "define a custom attribute (lexicon, LLM judge or classifier), or with --new-version add a version",
    options: [
      ["--name <name>", "unique name; the metric id is attr_<name in lower case>", true],
      ["--kind <lexicon|judge|classifier>", "what computes it", true],
      ["--unit <unit>", "e.g. 'per 100 words', 'score 1-10'"],
      ["--direction <higher|lower|target|neutral>", "which values are better (default neutral)"],
      ["--target <x>", "the best value, with --direction target"],
      ["--description <text>", "one sentence for tables and dataset cards"],
      ["--terms <a,b,c>", "lexicon: comma-separated words, phrases or patterns"],
      ["--terms-file <file>", "lexicon: one word, phrase or pattern per line"],
      ["--match <words|patterns>", "lexicon: words and phrases (default) or regular expressions"],
      ["--measure <rate|presence>", "lexicon: matches per 100 words (default) or presence (1 or 0)"],
      ["--case-sensitive", "lexicon: match case"],
      ["--judge <model>", "judge: the registered model (name or id) that judges"],
      ["--rubric <text>", "judge: the prompt, with {prompt} and {output}"],
      ["--rubric-file <file>", "judge: the prompt from a file"],
      ["--range <min,max>", "judge: read the first number, within this range (default 1,10)"],
      ["--labels <a=1,b=0>", "judge: read a label and map it to its value"],
      ["--json-field <path>", "judge: read this field of a JSON answer"],
      ["--temperature <x>", "judge: default 0"],
      ["--max-tokens <n>", "judge: longest answer (default 64)"],
      ["--judge-samples <n>", "judge: answers per output, averaged (default 1)"],
      ["--scorer <name>", "classifier: a scorer configured on /scorers"],
      ["--scorer-attribute <name>", "classifier: the attribute of its answer (default TOXICITY)"],
      ["--new-version", "add a version to the attribute named by --name instead of creating one"],
      JSON_OPT,
    ],
    load: async () => (await import("./attributes")).addAttributeAction,
  },
  {
    name: "attributes list",
    summary: "list the custom attributes with their latest version",
    options: [JSON_OPT],
    load: async () => (await import("./attributes")).listAttributesAction,
  },
  {
    name: "attributes show",
    summary: "an attribute's versions and definitions",
    args: ["<name|id>"],
    options: [JSON_OPT],
    load: async () => (await import("./attributes")).showAttributeAction,
  },
  {
    name: "attributes rejudge",
    summary: "ask a judge attribute again about a seeded sample of a run's judged outputs; print the agreement (Spearman ρ, mean |Δ|, n)",
    args: ["<name|id>"],
    options: [
      ["--run <id>", "a completed run that measured the attribute (its version is asked again)", true],
      ["--sample <n>", "outputs to ask about again (default 20; all of them when the run has fewer)"],
      ["--seed <s>", "the sample's seed (default 0); the same run, sample and seed resume a pass cut short"],
      JSON_OPT,
    ],
    load: async () => (await import("./attributes")).rejudgeAttributeAction,
  },
  {
    name: "profile",
    summary: "profile a model with a suite (creates a run; --wait executes it here)",
    options: [
      ["--model <name|id>", "the model to profile", true],
      ["--suite <name|file>", "a built-in suite (textual, quick, paper) or a suite JSON file", true],
      ["--seed <n>", "seed of the run's sampling and statistics (default 0)"],
      ["--wait", "execute the run in this process and wait for it; exit 0 only when it completed with results"],
      JSON_OPT,
    ],
    load: async () => (await import("./profile")).profileAction,
  },
  {
    name: "runs list",
    summary: "list runs",
    options: [JSON_OPT],
    load: async () => (await import("./runs-list")).listRunsAction,
  },
  {
    name: "runs show",
    summary: "a run's status, each step's status and reason, its notes and metrics",
    args: ["<id>"],
    options: [JSON_OPT],
    load: async () => (await import("./profile")).showRunAction,
  },
  {
    name: "runs resume",
    summary: "continue a paused, failed or interrupted run (completed items are never requested again)",
    args: ["<id>"],
    options: [["--wait", "execute it in this process and wait for it"], JSON_OPT],
    load: async () => (await import("./profile")).resumeRunAction,
  },
  {
    name: "import generations",
    summary: 'turn a JSON Lines file of {"prompt","output"} into a completed run',
    args: ["<file>"],
    options: [
      ["--model <name|id>", "the model that wrote the generations", true],
      ["--name <name>", "the run's name"],
      ["--attributes <a,b>", "lexicon attributes to measure too (names, or name@version)"],
      JSON_OPT,
    ],
    load: async () => (await import("./import")).importGenerationsAction,
  },
  {
    name: "import toolkit",
    summary: "import the paper toolkit's results folder (results/profiling/<experiment>/) as a run",
    args: ["<folder>"],
    options: [["--model <name|id>", "the model the results are of", true], ["--name <name>", "the run's name"], JSON_OPT],
    load: async () => (await import("./import")).importToolkitAction,
  },
  {
    name: "distill",
    summary: "build an active-inheritance (best-of-k) or random-pick dataset and write the selected set",
    options: [
      ["--teachers <a,b>", "teacher models (names or ids), comma-separated", true],
      ["--prompts <file>", "a JSONL/CSV/TXT prompt list", true],
      ["--k <n>", "candidates per prompt per teacher", true],
      [
        "--target <metric>",
        "the metric to select on: a per-sample metric id (e.g. mtld, length_words) or a custom attribute (attr_<name>, its name, or name@version)",
        true,
      ],
      ["--direction <max|min|closest>", "maximise, minimise or come closest to --target-value (required with best-of-k; the choice is the confirmation)"],
      ["--target-value <x>", "the value --direction closest aims at (default: the attribute's target value, if it has one)"],
      ["--selection <best|random>", "best-of-k (active) or random pick (passive); default best"],
      ["--confirm-greedy", "build k > 1 candidates at temperature 0 anyway (they are copies on a real server)"],
      ["--mode <chat|completion>", "request mode (default chat)"],
      ["--template <text>", "{prompt} is replaced by each prompt (default {prompt})"],
      ["--temperature <x>", "default 1"],
      ["--top-p <x>", "default 0.95"],
      ["--max-tokens <n>", "default 256"],
      ["--seed <n>", "default 0"],
      ["--limit <n>", "the first N prompts only"],
      ["--min-words <n>", "drop candidates shorter than this"],
      ["--drop-truncated", 'drop candidates cut by max tokens (finish reason "length")'],
      ["--keep-empty", "keep empty candidates"],
      ["--format <chat|alpaca|prompt-completion>", "export format (default chat)"],
      ["--out <file>", "write the selected set here instead of stdout"],
      ["--candidates <file>", "also write every candidate with its scores"],
      ["--card <file>", "also write the dataset card (Markdown)"],
      ["--name <name>", "the dataset's name"],
      JSON_OPT,
    ],
    load: async () => (await import("./distill")).distillAction,
  },
  {
    name: "users add",
    summary: "add a user who signs in (the first admin: --admin); the password is asked for, or read with --password-stdin",
    options: [
      ["--email <email>", "their email address (what they sign in with)", true],
      ["--role <role>", "viewer (default), editor or admin"],
      ["--admin", "the same as --role admin"],
      ["--password-stdin", "read the password from the first line of standard input instead of asking"],
      ["--invite", "no password: they sign in through single sign-on (LINEAGE_OIDC_ISSUER) with this email"],
      ["--name <name>", "the name shown (default: the email's local part)"],
      JSON_OPT,
    ],
    load: async () => (await import("./users")).addUserAction,
    after: "\nOnce a user exists, the dashboard asks everyone to sign in (README: Running for a team).",
  },
  {
    name: "users list",
    summary: "list the users, their role and how they sign in",
    options: [JSON_OPT],
    load: async () => (await import("./users")).listUsersAction,
  },
  {
    name: "users set-role",
    summary: "change a user's role (viewer, editor, admin)",
    args: ["<email|id>", "<role>"],
    load: async () => (await import("./users")).setRoleAction,
  },
  {
    name: "users disable",
    summary: "stop a user from signing in (ends their sessions; their API tokens stop working)",
    args: ["<email|id>"],
    load: async () => (await import("./users")).disableUserAction,
  },
  {
    name: "users enable",
    summary: "let a disabled user sign in again",
    args: ["<email|id>"],
    load: async () => (await import("./users")).enableUserAction,
  },
  {
    name: "users remove",
    summary: "delete a user, their sessions and API tokens",
    args: ["<email|id>"],
    load: async () => (await import("./users")).removeUserAction,
  },
  {
    name: "tokens create",
    summary: "make an API token for scripts (Authorization: Bearer …); printed once, stored only as a hash",
    options: [
      ["--user <email|id>", "whose token it is", true],
      ["--name <name>", "what uses it", true],
      ["--role <role>", "viewer, editor or admin, at most the user's (default: the user's)"],
      JSON_OPT,
    ],
    load: async () => (await import("./users")).createTokenAction,
  },
  {
    name: "tokens list",
    summary: "list API tokens (never the tokens themselves): role, user, last use",
    options: [JSON_OPT],
    load: async () => (await import("./users")).listTokensAction,
  },
  {
    name: "tokens revoke",
    summary: "revoke an API token",
    args: ["<id>"],
    load: async () => (await import("./users")).revokeTokenAction,
  },
  {
    name: "db check",
    summary: "read every row of every table of the database and say which are damaged (exit 1 if any)",
    options: [JSON_OPT],
    load: async () => (await import("./db")).checkDbAction,
  },
  {
    name: "db backup",
    summary: "write a consistent copy of the embedded database to a new folder (through the dashboard when it has the database open)",
    args: ["<folder>"],
    load: async () => (await import("./db")).backupDbAction,
  },
  {
    name: "audit",
    summary: "the audit log, newest first: who created, changed, ran, exported, shared or deleted what",
    options: [
      ["--actor <text>", "only actors whose name contains this"],
      ["--action <name>", "only this action (run.start) or subject (run)"],
      ["--from <YYYY-MM-DD>", "from this day (UTC)"],
      ["--to <YYYY-MM-DD>", "up to this day (UTC), included"],
      ["--page <n>", "page of 50 events (default 1)"],
      JSON_OPT,
    ],
    load: async () => (await import("./audit")).auditAction,
  },
  {
    name: "worker",
    summary: "execute queued runs and datasets until stopped (npm run worker)",
    options: [["--jobs <n>", "runs and datasets executed at once (default LINEAGE_WORKER_JOBS, else 2)"]],
    load: async () => (await import("./worker")).workerAction,
  },
];

const DESCRIPTION = "Profile language models and steer them through synthetic data.";
const AFTER = `
Database: DATABASE_URL when set, else the embedded database in LINEAGE_HOME (default ./.lineage),
which only one process may open at a time.
Exit codes: 0 success; 2 bad input or usage; 1 a problem of the environment, or a run or dataset
that produced nothing. Every command has --help. Documentation: docs/cli.md.`;

const GROUPS: Record<string, string> = {
  db: "check and back up the database (db check, db backup)",
  models: "register and list models (models add, models list)",
  attributes: "define and list custom attributes, and re-judge a sample (attributes add, attributes list, attributes show, attributes rejudge)",
  runs: "list, show and resume runs (runs list, runs show, runs resume)",
  import: "import existing results (import generations, import toolkit)",
  users: "who may sign in, and their roles (users add, list, set-role, disable, enable, remove)",
  tokens: "API tokens for scripts (tokens create, list, revoke)",
};

/** Builds the program; `result` gets the exit code and the name of the command that ran. */
export function buildProgram(io: CliIO, result: { code: number; name: string }): Command {
  // Parsing mistakes read like every other usage error: "lineage <command>: <what>" on one line, exit 2.
  const outputError = (s: string, write: (s: string) => void) =>
    write(`lineage ${result.name}: ${s.replace(/^error: /, "").trimEnd()} (see: lineage ${result.name} --help)\n`.replace("lineage : ", "lineage: "));
  const program = new Command("lineage")
    .description(DESCRIPTION)
    .addHelpText("after", AFTER)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s), outputError })
    .showSuggestionAfterError(true)
    .helpCommand("help [command]", "show the help of a command");
  const groups = new Map<string, Command>();
  for (const spec of COMMANDS) {
    const [head, sub] = spec.name.split(" ");
    let parent = program;
    if (sub) {
      let group = groups.get(head);
      if (!group) {
        group = program
          .command(head)
          .description(GROUPS[head] ?? head)
          .helpCommand(false);
        groups.set(head, group);
      }
      parent = group;
    }
    const cmd = parent.command(sub ?? head).description(spec.summary);
    for (const a of spec.args ?? []) cmd.argument(a);
    for (const o of spec.options ?? []) {
      const [flags, description, required] = typeof o === "string" ? [o, ""] : o;
      const opt = new Option(flags, description);
      if (required) opt.makeOptionMandatory(true);
      cmd.addOption(opt);
    }
    if (spec.after) cmd.addHelpText("after", spec.after);
    cmd.action(async (...params: unknown[]) => {
      const command = params[params.length - 1] as Command;
      result.name = spec.name;
      const action = await spec.load();
      result.code = await action(command.opts<Opts>(), command.args.slice(0, (spec.args ?? []).length), io);
    });
  }
  for (const group of groups.values()) group.action(() => group.help({ error: true }));
  return program;
}

/**
 * The exit code of each kind of LineageError (lib/errors.ts), the one place they are mapped: 2 when what the user gave
 * must change (bad input or usage, something it names that does not exist, a record whose state forbids it, a role it
 * lacks), 1 when the environment or a service Lineage calls is at fault. An internal error is thrown on: a bug prints
 * its stack.
 */
export const EXIT_CODES: Record<ErrorKind, number | null> = {
  bad_input: EXIT_BAD_INPUT,
  not_found: EXIT_BAD_INPUT,
  gone: EXIT_BAD_INPUT,
  conflict: EXIT_BAD_INPUT,
  unauthenticated: EXIT_BAD_INPUT,
  forbidden: EXIT_BAD_INPUT,
  unavailable: 1,
  environment: 1,
  internal: null,
};

/** Runs the command line; returns the exit code. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const group = argv[0] !== undefined && argv[1] !== undefined && !argv[1].startsWith("-") && argv[0] in GROUPS;
  const result = { code: 0, name: group ? `${argv[0]} ${argv[1]}` : (argv[0] ?? "") };
  const program = buildProgram(io, result);
  try {
    if (argv.length === 0) {
      program.outputHelp({ error: true });
      return EXIT_BAD_INPUT;
    }
    await program.parseAsync(argv, { from: "user" });
    return result.code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are successes; every parsing mistake (commander already printed it) is bad usage.
      return err.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
    }
    // A full disk is the environment's problem, said in one line: never a stack trace holding the user's data.
    const failure = diskFullError(err, process.env.DATABASE_URL ? "the database server" : lineageHome()) ?? err;
    const code = failure instanceof LineageError ? EXIT_CODES[failure.category] : null;
    if (code === null) throw failure;
    // Bad input is said on one line (it names the line, field or flag); the environment's own text is kept as it is.
    const message = (failure as LineageError<string>).userMessage;
    io.stderr.write(`lineage ${result.name}: ${code === EXIT_BAD_INPUT ? message.replace(/\s*\n\s*/g, " ") : message}\n`);
    return code;
  }
}
