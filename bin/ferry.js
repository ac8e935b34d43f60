#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, resolved from this package: works from any directory.
import { tsImport } from 'tsx/esm/api';

const main = new URL('../src/cli/main.ts', import.meta.url);
const tsconfig = new URL('../tsconfig.json', import.meta.url);
await tsImport(main.href, { parentURL: import.meta.url, tsconfig: tsconfig.pathname });
