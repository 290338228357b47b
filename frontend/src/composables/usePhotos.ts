// Photos as the outbox keeps them: resized on the phone (in a worker), with the time and place they were taken.
import type { OutboxPhoto } from '@/outbox'
import { MAX_SIDE, QUALITY, resizeBlob } from '@/photos/resize'

let worker: Worker | null = null
/** the worker's script could not load (offline before it was ever cached): resize on the main thread */
let workerBroken = false
let nextId = 0
const pending = new Map<number, { ok: (b: Blob) => void; fail: (e: Error) => void }>()

function resizer(): Worker | null {
  if (workerBroken || typeof Worker === 'undefined' || typeof OffscreenCanvas === 'undefined') return null
  if (!worker) {
    worker = new Worker(new URL('../photos/resize.worker.ts', import.meta.url), { type: 'module' })
    worker.onmessage = (e: MessageEvent<{ id: number; blob?: Blob; error?: string }>) => {
      const job = pending.get(e.data.id)
      pending.delete(e.data.id)
      if (e.data.blob) job?.ok(e.data.blob)
      else job?.fail(new Error(e.data.error ?? 'resize failed'))
    }
    worker.onerror = () => {
      workerBroken = true
      worker = null
      pending.forEach((job) => job.fail(new Error('resize worker unavailable')))
      pending.clear()
    }
  }
  return worker
}

/** The photo brought down to a long side of 2048 px (JPEG); the original when the browser cannot decode it. */
export async function resizePhoto(file: Blob): Promise<Blob> {
  const w = resizer()
  try {
    if (w) {
      const id = nextId++
      const inWorker = new Promise<Blob>((ok, fail) => {
        pending.set(id, { ok, fail })
        w.postMessage({ id, file, maxSide: MAX_SIDE, quality: QUALITY })
      })
      try {
        return await inWorker
      } catch (e) {
        if (!workerBroken) throw e
      }
    }
    return await resizeBlob(file, MAX_SIDE, QUALITY, (cw, ch) =>
      Object.assign(document.createElement('canvas'), { width: cw, height: ch }),
    )
  } catch {
    return file // HEIC on a browser that cannot draw it: the server takes it as it is
  }
}

/** A photo to upload now (no outbox): resized, with when it was taken. */
export interface TakenPhoto {
  blob: Blob
  takenAt: string
}

/** The photo resized, stamped with when it was taken (the file's time; a camera capture's is now). */
export async function takePhoto(file: File): Promise<TakenPhoto> {
  return { blob: await resizePhoto(file), takenAt: new Date(file.lastModified || Date.now()).toISOString() }
}

export interface Fix {
  lat: number
  lon: number
  accuracy: number | null
}

/** A photo ready for the outbox: resized, stamped with when it was taken and where the phone was. */
export async function preparePhoto(file: File, fix: Fix | null, role: OutboxPhoto['role'] = 'before'): Promise<OutboxPhoto> {
  const blob = await resizePhoto(file)
  const taken = file.lastModified ? new Date(file.lastModified) : new Date()
  return {
    blob,
    takenAt: taken.toISOString(),
    lat: fix?.lat ?? null,
    lon: fix?.lon ?? null,
    accuracyM: fix?.accuracy ?? null,
    role,
  }
}
