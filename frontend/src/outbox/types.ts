// What waits in the outbox: a report (with its photos as Blobs) or an action on an issue.
import type { InspectionPayload } from './inspection'

export type ItemState = 'waiting' | 'sending' | 'retrying' | 'refused' | 'paused'

export interface OutboxPhoto {
  blob: Blob
  /** what the phone knew when the photo was taken (sent as the photo API's form fields) */
  takenAt: string | null
  lat: number | null
  lon: number | null
  accuracyM: number | null
  /** 'before': the problem; 'after': 立行立改, or a rectify/verify photo */
  role: 'before' | 'after'
  /** the server's id once uploaded (uploads are idempotent by bytes, so a repeat is harmless) */
  uploadedId?: string
}

export interface ReportPayload {
  category: string
  description: string
  lat: number
  lon: number
  accuracy_m: number | null
  fixed_on_site: boolean
}

export interface ActionPayload {
  issueId: string
  action: string
  note?: string
  unit?: string | null
  duplicate_of?: string | null
  due_at?: string | null
  version?: number | null
}

export interface OutboxItem {
  /** client uuid: for a report, the issue id the server keeps (so a resend never duplicates) */
  id: string
  /** send order */
  seq: number
  kind: 'report' | 'action' | 'inspection'
  /** username of who queued it: sent only under that user's session */
  owner: string
  createdAt: string
  /** a line for the list, e.g. the category's name */
  title: string
  state: ItemState
  attempts: number
  /** epoch ms before which it is not tried again (backoff) */
  nextAt: number
  error: { status: number; detail: string; message: string } | null
  photos: OutboxPhoto[]
  report?: ReportPayload
  action?: ActionPayload
  inspection?: InspectionPayload
}

/** An item as the screens list it: no Blobs held in memory. */
export type OutboxEntry = Omit<OutboxItem, 'photos'> & { photoCount: number }

export function entryOf(item: OutboxItem): OutboxEntry {
  const { photos, ...rest } = item
  return { ...rest, photoCount: photos.length }
}
