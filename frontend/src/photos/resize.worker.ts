// Shrinks a photo off the main thread: long side at most `maxSide`, JPEG. A 12 MP photo becomes ~0.5-1 MB.
/// <reference lib="webworker" />
import { resizeBlob } from './resize'

self.onmessage = async (e: MessageEvent<{ id: number; file: Blob; maxSide: number; quality: number }>) => {
  const { id, file, maxSide, quality } = e.data
  try {
    const blob = await resizeBlob(file, maxSide, quality, (w, h) => new OffscreenCanvas(w, h))
    self.postMessage({ id, blob })
  } catch (err) {
    self.postMessage({ id, error: String(err) })
  }
}
