import { defineSource } from '../source-module';
import { importNanaBatch } from './import-nana-batch';
import { nanaSource } from './nana';
import { readBackNana } from './read-back-nana';

export const nana = defineSource({
  definition: nanaSource,
  importer: { importBatch: importNanaBatch, readBack: readBackNana },
  verification: { createdRows: 'customers', legacyIdColumn: 'nana_cus_id', ledger: null },
  prerequisites: [],
  readsThroughMapping: false,
});
