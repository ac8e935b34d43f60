import { Client, Connection } from '@temporalio/client';
import type { CodecKey } from '../codec-keys';
import { ferryDataConverter } from './codec';

/** One connection per process, made by its entry point; payloads encrypted when codec keys are given. */
export async function connectClient(address: string, namespace: string, codecKeys?: CodecKey[]): Promise<Client> {
  const connection = await Connection.connect({ address });
  return new Client({ connection, namespace, dataConverter: ferryDataConverter(codecKeys) });
}
