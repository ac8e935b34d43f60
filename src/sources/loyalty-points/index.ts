import { POINTS_LEDGER } from '../shared/verify-ledger';
import { pointsBatchImporter, ledgerReadBack } from '../shared/import-ledger-batch';
import { loyaltyPointsSource } from '../shared/loyalty-ledger';
import { defineSource } from '../source-module';

export const loyaltyPoints = defineSource({
  definition: loyaltyPointsSource,
  // member_id is first an old_member_id of the loyalty CRM's users file.
  importer: {
    importBatch: pointsBatchImporter('loyalty-points', 'loyalty-users'),
    readBack: ledgerReadBack(POINTS_LEDGER),
  },
  verification: { createdRows: 'points_transactions', legacyIdColumn: null, ledger: POINTS_LEDGER },
  prerequisites: [],
  readsThroughMapping: false,
});
