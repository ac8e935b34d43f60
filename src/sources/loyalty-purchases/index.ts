import { ledgerBatchImporter, ledgerReadBack } from '../shared/import-ledger-batch';
import { loyaltyPurchasesSource } from './loyalty-purchases';
import { defineSource } from '../source-module';
import { PURCHASES_LEDGER } from './purchases-ledger';

export const loyaltyPurchases = defineSource({
  definition: loyaltyPurchasesSource,
  importer: {
    // member_id is first an old_member_id of the loyalty CRM's users file.
    importBatch: ledgerBatchImporter('loyalty-purchases', 'loyalty-users', PURCHASES_LEDGER),
    readBack: ledgerReadBack(PURCHASES_LEDGER),
  },
  verification: { createdRows: 'purchases', legacyIdColumn: null, ledger: PURCHASES_LEDGER },
  prerequisites: [],
  readsThroughMapping: false,
});
