export * from './imports';
export * from './ledger';
export * from './customers';
export * from './retention';
export * from './idempotency';
export * from './sources';
export * from './sessions';
