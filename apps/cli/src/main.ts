#!/usr/bin/env node
// The `herald` bin: every herald process and the operators' CLI.
import { run } from './cli.js';
import { processIo } from './io.js';

// `herald export z | head`: a closed pipe ends the output, not with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

process.exitCode = await run(process.argv.slice(2), processIo());
