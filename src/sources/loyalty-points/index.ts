import { ledgerBatchImporter, ledgerReadBack } from '../shared/import-ledger-batch';
import { loyaltyPointsSource } from './loyalty-points';
import { defineSource } from '../source-module';
import { POINTS_LEDGER } from './points-ledger';

export const loyaltyPoints = defineSource({
  definition: loyaltyPointsSource,
  importer: {
    // member_id is first an old_member_id of the loyalty CRM's users file.
    importBatch: ledgerBatchImporter('loyalty-points', 'loyalty-users', POINTS_LEDGER),
    readBack: ledgerReadBack(POINTS_LEDGER),
  },
  verification: { createdRows: 'points_transactions', legacyIdColumn: null, ledger: POINTS_LEDGER },
  prerequisites: [],
  readsThroughMapping: false,
});
