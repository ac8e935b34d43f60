import { profileBatchImporter } from '../shared/import-profile-batch';
import { profileReadBack } from '../shared/read-back-profiles';
import { defineSource } from '../source-module';
import { careshopSource } from './careshop';

export const careshop = defineSource({
  definition: careshopSource,
  // The Care Shop rule (same phone and name: nothing to do) replaces the import's duplicate strategy.
  importer: {
    importBatch: profileBatchImporter('careshop', { kind: 'same-phone-and-name' }),
    readBack: profileReadBack('careshop'),
  },
  verification: { createdRows: 'customers', legacyIdColumn: 'careshop_id', ledger: null },
  // The Care Shop document: Care Shop "must not be imported until Nana's profiles are completely imported".
  prerequisites: [{ source: 'nana', waitingPhase: 'waiting_for_nana' }],
  readsThroughMapping: false,
});
