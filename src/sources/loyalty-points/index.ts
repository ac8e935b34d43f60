import { importPointsBatch, readBackPoints } from '../shared/import-ledger-batch';
import { loyaltyPointsSource } from '../shared/loyalty-ledger';
import { defineSource } from '../source-module';

export const loyaltyPoints = defineSource({
  definition: loyaltyPointsSource,
  importer: { importBatch: importPointsBatch, readBack: readBackPoints },
  verification: { createdRows: 'points_transactions', legacyIdColumn: null },
  prerequisites: [],
  readsThroughMapping: false,
});
