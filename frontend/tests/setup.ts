// Every test gets a fresh, in-memory IndexedDB.
import 'fake-indexeddb/auto'
import { Blob as NodeBlob } from 'node:buffer'
import { IDBFactory } from 'fake-indexeddb'
import { beforeEach } from 'vitest'
import { resetConnection } from '@/outbox/db'
import { resetPatrolDb } from '@/patrol/db'

// happy-dom's Blob does not survive structuredClone (as a browser's does); Node's does
globalThis.Blob = NodeBlob as unknown as typeof Blob

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory()
  resetConnection()
  resetPatrolDb()
  localStorage.clear()
})
