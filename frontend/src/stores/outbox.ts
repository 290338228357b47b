// The outbox as the screens see it: the waiting items (without their Blobs), the count, and the runner.
import { defineStore } from 'pinia'
import * as api from '@/api'
import {
  OutboxRunner,
  allItems,
  enqueue,
  entryOf,
  newId,
  onOutboxChange,
  getItem,
  removeItem,
  replaceItem,
  type ActionPayload,
  type InspectionPayload,
  type OutboxEntry,
  type OutboxItem,
  type OutboxPhoto,
  type PatrolStep,
  type ReportPayload,
} from '@/outbox'
import { useSessionStore } from './session'

let runner: OutboxRunner | null = null

export const useOutboxStore = defineStore('outbox', {
  state: () => ({
    entries: [] as OutboxEntry[],
    online: typeof navigator === 'undefined' ? true : navigator.onLine,
    persisted: null as boolean | null,
  }),
  getters: {
    /** what still has to reach the server (refused items included: they wait for the user); a patrol's steps count once */
    count: (s) => new Set(s.entries.map((e) => (e.kind === 'patrol' ? `patrol:${e.patrol?.patrolId}` : e.id))).size,
    refused: (s) => s.entries.filter((e) => e.state === 'refused').length,
  },
  actions: {
    /** Once, at start: read the queue, wire the runner to the network and the session, ask for persistence. */
    async start(): Promise<void> {
      if (runner) return
      const session = useSessionStore()
      runner = new OutboxRunner({
        transport: {
          uploadPhoto: (blob, meta) => api.uploadPhoto(blob, meta),
          createIssue: (body) => api.createIssue(body as api.IssueReport),
          postAction: (id, body) => api.postAction(id, body as api.IssueAction),
          getIssue: (id) => api.getIssue(id),
          createInspection: (body) => api.createInspection(body as api.InspectionCreate),
          startPatrol: (body) => api.startPatrol(body),
          postPatrolPoints: (id, body) => api.postPatrolPoints(id, body),
          endPatrol: (id, body) => api.endPatrol(id, body),
        },
        user: () => session.user?.username ?? null,
        onAuthLost: () => {
          session.needsSignIn = true
        },
      })
      onOutboxChange(() => void this.reload())
      window.addEventListener('online', () => {
        this.online = true
        void runner?.networkBack()
      })
      window.addEventListener('offline', () => {
        this.online = false
      })
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'visible') void runner?.run()
      })
      await runner.recover()
      await this.reload()
      void this.askPersistence()
      void runner.run()
    },
    async reload(): Promise<void> {
      this.entries = (await allItems()).map(entryOf)
    },
    async askPersistence(): Promise<void> {
      const storage = navigator.storage
      if (!storage?.persist) return
      this.persisted = (await storage.persisted()) || (await storage.persist())
    },
    /** Sends now (after a sign-in, or the user's tap). */
    kick(): Promise<void> {
      return runner ? runner.resume() : Promise.resolve()
    },
    async queueReport(id: string, title: string, report: ReportPayload, photos: OutboxPhoto[]): Promise<OutboxItem> {
      const owner = useSessionStore().user!.username
      const item = await enqueue({ id, kind: 'report', owner, title, report, photos })
      void runner?.run()
      return item
    },
    /** For the unit's and the office's screens: an action (rectify, verify …), its photos included. */
    async queueAction(title: string, action: ActionPayload, photos: OutboxPhoto[] = []): Promise<OutboxItem> {
      const owner = useSessionStore().user!.username
      const item = await enqueue({ id: newId(), kind: 'action', owner, title, action, photos })
      void runner?.run()
      return item
    },
    /** A site inspection, its failed items' photos included; `id` is the inspection's id on the server. */
    async queueInspection(id: string, title: string, inspection: InspectionPayload, photos: OutboxPhoto[]): Promise<OutboxItem> {
      const owner = useSessionStore().user!.username
      const item = await enqueue({ id, kind: 'inspection', owner, title, inspection, photos })
      void runner?.run()
      return item
    },
    /** A patrol's step (start, a batch of track points, end) under its own id (the patrol's, the batch's), as
     * the recording user's (a step finishing while another user signs in stays the recorder's). */
    async queuePatrol(id: string, title: string, patrol: PatrolStep, owner: string): Promise<OutboxItem> {
      const item = await enqueue({ id, kind: 'patrol', owner, title, patrol, photos: [] })
      void runner?.run()
      return item
    },
    /** The user's fix of a refused item: change it and send it again. */
    async fix(id: string, change: (item: OutboxItem) => void): Promise<void> {
      const item = await getItem(id)
      if (!item) return
      change(item)
      Object.assign(item, { state: 'waiting', nextAt: 0, error: null })
      await replaceItem(id, item)
      void runner?.run()
    },
    async remove(id: string): Promise<void> {
      await removeItem(id)
    },
  },
})
