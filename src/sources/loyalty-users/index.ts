import { profileBatchImporter } from '../shared/import-profile-batch';
import { profileReadBack } from '../shared/read-back-profiles';
import { defineSource } from '../source-module';
import { loyaltyUsersSource } from './loyalty-users';

export const loyaltyUsers = defineSource({
  definition: loyaltyUsersSource,
  importer: { importBatch: profileBatchImporter('loyalty-users'), readBack: profileReadBack('loyalty-users') },
  verification: { createdRows: 'customers', legacyIdColumn: 'old_member_id', ledger: null },
  prerequisites: [],
  readsThroughMapping: false,
});
