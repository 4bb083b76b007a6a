import { EnvironmentError } from "./database";
import { type CliIO, type Command, EXIT_BAD_INPUT, UsageError } from "./io";

const HELP = `lineage — profile language models and steer them through synthetic data

Usage:
  lineage text-metrics [--in FILE] [--out FILE]      textual metrics of JSON Lines {"id","text"}
  lineage calibration [--in FILE]                    calibration of {"probs","labels"} or {"confidence","correct"}
  lineage models add --name N --base-url URL --model-id ID [--api-key-env VAR] [--concurrency N]
  lineage models list [--json]
  lineage profile --model <name|id> --suite <name|FILE> [--wait] [--json]
  lineage runs list [--json] | runs show <id> [--json] | runs resume <id> [--wait] [--json]
  lineage import generations <file> --model <name|id> [--json]
  lineage import toolkit <dir> --model <name|id> [--json]
  lineage distill --teachers <a,b> --prompts FILE --k N --target <metric id> --direction max|min [--out FILE] [--format chat|alpaca|prompt-completion]
  lineage worker [--jobs N]                          execute queued runs (npm run worker)
  lineage help

Database: DATABASE_URL when set, else the embedded database in LINEAGE_HOME (default ./.lineage), which only one
process may open at a time. Documentation: docs/cli.md.
`;

// Commands are loaded lazily so that a metrics command never pays for the database client.
const commands: Record<string, () => Promise<Command>> = {
  "text-metrics": async () => (await import("./text-metrics")).textMetricsCommand,
  calibration: async () => (await import("./calibration")).calibrationCommand,
  models: async () => (await import("./models")).modelsCommand,
  profile: async () => (await import("./profile")).profileCommand,
  runs: async () => (await import("./profile")).runsCommand,
  import: async () => (await import("./import")).importCommand,
  worker: async () => (await import("./worker")).workerCommand,
  distill: async () => (await import("./distill")).distillCommand,
};

export async function main(argv: string[], io: CliIO = process): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    io.stdout.write(HELP);
    return name ? 0 : EXIT_BAD_INPUT;
  }
  const load = commands[name];
  if (!load) {
    io.stderr.write(`lineage: unknown command "${name}". Run "lineage help".\n`);
    return EXIT_BAD_INPUT;
  }
  try {
    return await (await load())(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`lineage ${name}: ${err.message.replace(/\s*\n\s*/g, " ")}\n`);
      return EXIT_BAD_INPUT;
    }
    if (err instanceof EnvironmentError) {
      io.stderr.write(`lineage ${name}: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
