import { Client, Connection } from '@temporalio/client';

/** One connection per process, made by its entry point. */
export async function connectClient(address: string, namespace: string): Promise<Client> {
  const connection = await Connection.connect({ address });
  return new Client({ connection, namespace });
}
