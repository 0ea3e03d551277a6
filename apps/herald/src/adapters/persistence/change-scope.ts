import { AsyncLocalStorage } from 'node:async_hooks';

// Code running inside changeZone's `fn` must use `tx`. A call on a store
// instead needs a second connection: on PGlite (one pooled connection) it
// would wait forever for the one the transaction holds, and on PostgreSQL a
// nested changeZone of the same zone would wait forever for the row lock.
// Failing at once turns those hangs into an error that names the mistake.
const scope = new AsyncLocalStorage<{ open: boolean }>();

export function runInChangeScope<T>(fn: () => Promise<T>): Promise<T> {
  const state = { open: true };
  return scope.run(state, async () => {
    try {
      return await fn();
    } finally {
      // Work `fn` left running may call the stores once the transaction is over.
      state.open = false;
    }
  });
}

export function assertOutsideChange(): void {
  if (scope.getStore()?.open) {
    throw new Error('inside changeZone, read and write through its transaction (tx), not through the stores');
  }
}
