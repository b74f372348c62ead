// node bench/first-response.mjs <contender> <endpoint>: loads the contender, makes one GET and
// prints the milliseconds from process start (performance.timeOrigin) to the parsed response.
import { performance } from "node:perf_hooks";
import { createContender } from "./contenders.mjs";

const [contender, endpoint] = process.argv.slice(2);
await createContender(contender, endpoint).get();
process.stdout.write(`${JSON.stringify({ contender, endpoint, ms: performance.now() })}\n`);
process.exit(0);
