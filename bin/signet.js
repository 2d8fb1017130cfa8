#!/usr/bin/env node
// Entry point installed as `signet`; the compiled CLI lives in dist/.
import { main } from '../dist/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
