// For the contracts' interactions without a provider state: each starts from an empty broker.
import { broker, reset } from './states.js';

export default async function resetBeforeRequest<T>(request: T): Promise<T> {
  await broker().storage.transaction(reset);
  return request;
}
