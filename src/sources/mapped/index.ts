import { profileBatchImporter } from '../shared/import-profile-batch';
import { profileReadBack } from '../shared/read-back-profiles';
import { defineSource } from '../source-module';
import { mappedSource } from './mapped';

export const mapped = defineSource({
  definition: mappedSource,
  importer: { importBatch: profileBatchImporter('mapped'), readBack: profileReadBack('mapped') },
  verification: { createdRows: 'customers', legacyIdColumn: 'external_id', ledger: null },
  prerequisites: [],
  readsThroughMapping: true,
});
