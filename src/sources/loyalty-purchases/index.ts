import { PURCHASES_LEDGER } from '../shared/verify-ledger';
import { purchasesBatchImporter, ledgerReadBack } from '../shared/import-ledger-batch';
import { loyaltyPurchasesSource } from '../shared/loyalty-ledger';
import { defineSource } from '../source-module';

export const loyaltyPurchases = defineSource({
  definition: loyaltyPurchasesSource,
  // member_id is first an old_member_id of the loyalty CRM's users file.
  importer: {
    importBatch: purchasesBatchImporter('loyalty-purchases', 'loyalty-users'),
    readBack: ledgerReadBack(PURCHASES_LEDGER),
  },
  verification: { createdRows: 'purchases', legacyIdColumn: null, ledger: PURCHASES_LEDGER },
  prerequisites: [],
  readsThroughMapping: false,
});
