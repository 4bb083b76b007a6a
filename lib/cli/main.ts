import { type CliIO, type Command, EXIT_BAD_INPUT, UsageError } from "./io";

const HELP = `lineage — profile language models (https://github.com/ — see README)

Usage:
  lineage text-metrics [--in FILE] [--out FILE]   textual metrics of JSON Lines {"id","text"}
  lineage calibration [--in FILE]                 calibration metrics of {"probs","labels"} or {"confidence","correct"}
  lineage help                                    this text
`;

// Commands are loaded lazily so that a metrics command never pays for the database client.
const commands: Record<string, () => Promise<Command>> = {
  "text-metrics": async () => (await import("./text-metrics")).textMetricsCommand,
  calibration: async () => (await import("./calibration")).calibrationCommand,
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
    throw err;
  }
}
