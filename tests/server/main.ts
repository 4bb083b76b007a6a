// Runs the test server as its own process (so it does not share the event loop of what it serves):
//   npx tsx tests/server/main.ts --port 0 --latency-ms 50 [--api-key K] [--perspective-key K]
//        [--perspective-qps N] [--faults '{"rules":[...]}'] [--models '{"tiny-llama":{"flags":{"n":false}}}'] [--exit-on-stdin-close]
// The first stdout line is JSON: {"url": origin, "baseUrl": origin + "/v1", "port": N}.
// Faults, latency and model flags can be changed at run time over HTTP (see README.md, /__control/*).

import { startTestServer, type TestServerOptions } from "./server";

let watchStdin = false;

function parseArgs(argv: string[]): TestServerOptions {
  const opts: TestServerOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const need = () => {
      if (value === undefined) throw new Error(`${flag} needs a value`);
      i++;
      return value;
    };
    switch (flag) {
      case "--port":
        opts.port = Number(need());
        break;
      case "--host":
        opts.host = need();
        break;
      case "--latency-ms":
        opts.latencyMs = Number(need());
        break;
      case "--api-key":
        opts.apiKey = need();
        break;
      case "--perspective-key":
        opts.perspectiveKey = need();
        break;
      case "--perspective-qps":
        opts.perspectiveQps = Number(need());
        break;
      case "--faults":
        opts.faults = JSON.parse(need());
        break;
      case "--models":
        opts.models = JSON.parse(need());
        break;
      case "--exit-on-stdin-close":
        watchStdin = true;
        break;
      default:
        throw new Error(`unknown option ${flag}`);
    }
  }
  return opts;
}

const server = await startTestServer(parseArgs(process.argv.slice(2)));
process.stdout.write(JSON.stringify({ url: server.url, baseUrl: server.baseUrl, port: server.port }) + "\n");

const stop = () => {
  server.close().then(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
// Opt-in: a parent that spawned us with a stdin pipe and dies without signalling closes it; leave with it.
if (watchStdin) {
  process.stdin.on("end", stop);
  process.stdin.resume();
}
