#!/usr/bin/env node
import { main } from './cli.js';

const waitForStop = (): Promise<string> =>
  new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => resolve(signal);
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });

process.exitCode = await main(process.argv.slice(2), process.env, {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  logDestination: process.stderr,
  cwd: process.cwd(),
  waitForStop,
});
