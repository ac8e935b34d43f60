import { runCli } from './run';

// The CLI's entry point (bin/ferry.js loads it): the only place that touches the process.
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: { write: (text) => process.stderr.write(text), isTTY: Boolean(process.stderr.isTTY) },
  env: process.env,
});
