import { writeFileSync } from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';
import { encodingFailureConverterPath } from '../temporal/codec';
import { workflowsPath } from '../temporal/worker';

/**
 * Bundles the workflow code into the file named by argv[2]. Run as its own short-lived process so
 * webpack's memory never counts against the long-running worker.
 */
const [out, flag] = process.argv.slice(2);
if (!out) throw new Error('usage: bundle-workflows <output file> [--encode-failures]');
// With a payload codec, failure messages are encoded too, and the converter lives in the bundle.
const failureConverterPath = flag === '--encode-failures' ? encodingFailureConverterPath : undefined;
const { code } = await bundleWorkflowCode({
  workflowsPath,
  failureConverterPath,
  logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error },
});
writeFileSync(out, code);
