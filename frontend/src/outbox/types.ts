// What waits in the outbox: a report (with its photos as Blobs), an action on an issue, an inspection, a patrol step.
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

/** A step of a road chief's patrol (路长巡路): start, one batch of track points, end. Delivered by ./patrol.ts. */
export interface PatrolStep {
  patrolId: string
  step: 'start' | 'points' | 'end'
  /** start */
  started_at?: string
  /** points: the batch's client id (a resend is harmless) and its points, WGS-84 */
  batch_id?: string
  points?: { t: string; lat: number; lon: number; accuracy_m: number | null }[]
  /** end */
  ended_at?: string
}

export interface OutboxItem {
  /** client uuid: for a report, the issue id the server keeps (so a resend never duplicates) */
  id: string
  /** send order */
  seq: number
  kind: 'report' | 'action' | 'inspection' | 'patrol'
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
  patrol?: PatrolStep
}

/** An item as the screens list it: no Blobs held in memory. */
export type OutboxEntry = Omit<OutboxItem, 'photos'> & { photoCount: number }

export function entryOf(item: OutboxItem): OutboxEntry {
  const { photos, ...rest } = item
  return { ...rest, photoCount: photos.length }
}
