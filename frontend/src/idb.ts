// One IndexedDB database of the app's, opened when first needed and opened again after the browser closed it
// (iOS Safari does under memory pressure) or a newer tab asked to upgrade it. The outbox, the patrol being
// recorded and the offline cache each keep their own database through this.
import { openDB, type DBSchema, type IDBPDatabase, type OpenDBCallbacks } from 'idb'

export interface LazyDb<S extends DBSchema | unknown> {
  /** the open connection (opened now if need be) */
  get(): Promise<IDBPDatabase<S>>
  /** forgets the connection: the next get() opens it again (tests; a closed connection) */
  reset(): void
  /** runs fn on the open database; if the browser closed the connection under us, reopens once and runs it again */
  run<T>(fn: (db: IDBPDatabase<S>) => Promise<T>): Promise<T>
}

const CLOSED = ['InvalidStateError', 'TransactionInactiveError']

export function lazyDb<S extends DBSchema | unknown>(
  name: string,
  version: number,
  upgrade: OpenDBCallbacks<S>['upgrade'],
): LazyDb<S> {
  let connection: Promise<IDBPDatabase<S>> | null = null
  const reset = () => void (connection = null)
  const get = () => {
    connection ??= openDB<S>(name, version, {
      upgrade,
      blocking() {
        // a newer tab wants to upgrade: step aside, the next get() reopens at the new version
        void connection?.then((d) => d.close())
        connection = null
      },
      terminated: reset,
    }).catch((e) => {
      connection = null
      throw e
    })
    return connection
  }
  return {
    get,
    reset,
    async run(fn) {
      try {
        return await fn(await get())
      } catch (e) {
        if (!(e instanceof DOMException) || !CLOSED.includes(e.name)) throw e
        reset()
        return fn(await get())
      }
    },
  }
}
