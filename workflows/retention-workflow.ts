import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { RetentionWorkflowInput } from './definitions';

const { purgeExpiredImports } = proxyActivities<Activities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 10 },
});

/** Run daily by the `ferry-retention` schedule: purges the records of imports finished long enough ago. */
export async function retentionWorkflow(input: RetentionWorkflowInput = {}) {
  return purgeExpiredImports({ retentionDays: input.retentionDays });
}
