import { importPurchasesBatch, readBackPurchases } from '../shared/import-ledger-batch';
import { loyaltyPurchasesSource } from '../shared/loyalty-ledger';
import { defineSource } from '../source-module';

export const loyaltyPurchases = defineSource({
  definition: loyaltyPurchasesSource,
  importer: { importBatch: importPurchasesBatch, readBack: readBackPurchases },
  verification: { createdRows: 'purchases', legacyIdColumn: null },
  prerequisites: [],
  readsThroughMapping: false,
});
