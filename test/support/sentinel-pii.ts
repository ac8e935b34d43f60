import type { Client } from '@temporalio/client';

/** Personal data planted in a file: none of it may reach Temporal (history, memo, search attributes). */
export const SENTINEL_PEOPLE = [
  {
    nana_cus_id: 'SENTINEL-NANA-1',
    firstname: 'ทดสอบ',
    lastname: 'ซ้ำ',
    email: 'sentinel.person@example.org',
    phone: '0899999991',
    date_of_birth: '1971-03-04',
    company_name: '"Sentinel Widgets Co., Ltd."',
  },
  {
    nana_cus_id: 'SENTINEL-NANA-2',
    firstname: 'Zebedee',
    lastname: 'Quixotic',
    email: 'zq@sentinel.example',
    phone: '+66 89 999 9992',
  },
  {
    nana_cus_id: 'SENTINEL-NANA-3',
    firstname: 'Rejected',
    lastname: 'Sentinelperson',
    email: 'bad@@sentinel',
    phone: '0899999993',
    gender: 'Q',
  },
  { nana_cus_id: 'SENTINEL-NANA-4', firstname: 'Dupe', lastname: 'Sentinelphone', phone: '089-999-9991' },
];

/** Every value of SENTINEL_PEOPLE in the forms it could take (as written, normalised, in part). */
export const SENTINEL_VALUES = [
  'SENTINEL-NANA',
  'ทดสอบ',
  'ซ้ำ',
  'sentinel.person',
  'Zebedee',
  'Quixotic',
  'zq@sentinel',
  'Sentinelperson',
  'Sentinelphone',
  '0899999991',
  '899999991',
  '+66899999991',
  '999 9992',
  '+66899999992',
  '0899999993',
  'Sentinel Widgets',
  '1971-03-04',
];

/** The stored history of every run of a workflow (continue-as-new makes several), with its listing. */
export async function runHistories(client: Client, workflowId: string) {
  const runs = [];
  for await (const wf of client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) {
    runs.push({ info: wf, history: await client.workflow.getHandle(workflowId, wf.runId).fetchHistory() });
  }
  return runs;
}
