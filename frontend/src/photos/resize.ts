// Photo resizing: the same code in the worker and, where a browser has no OffscreenCanvas, on the main thread.
export const MAX_SIDE = 2048
export const QUALITY = 0.85

type AnyCanvas = OffscreenCanvas | HTMLCanvasElement

/** The size a w×h photo is brought down to so that its long side is at most maxSide. */
export function fitWithin(w: number, h: number, maxSide: number): [number, number] {
  const scale = Math.min(1, maxSide / Math.max(w, h))
  return [Math.max(1, Math.round(w * scale)), Math.max(1, Math.round(h * scale))]
}

async function toJpeg(canvas: AnyCanvas, quality: number): Promise<Blob> {
  if ('convertToBlob' in canvas) return canvas.convertToBlob({ type: 'image/jpeg', quality })
  return new Promise((ok, fail) =>
    canvas.toBlob((b) => (b ? ok(b) : fail(new Error('toBlob gave nothing'))), 'image/jpeg', quality),
  )
}

/** The photo as a JPEG whose long side is at most maxSide; a small JPEG is kept as it is (with its EXIF). */
export async function resizeBlob(
  file: Blob,
  maxSide: number,
  quality: number,
  makeCanvas: (w: number, h: number) => AnyCanvas,
): Promise<Blob> {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' })
  try {
    const [w, h] = fitWithin(bitmap.width, bitmap.height, maxSide)
    if (w === bitmap.width && h === bitmap.height && file.type === 'image/jpeg') return file
    const canvas = makeCanvas(w, h)
    const ctx = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null
    if (!ctx) throw new Error('no 2d context')
    ctx.drawImage(bitmap, 0, 0, w, h)
    return await toJpeg(canvas, quality)
  } finally {
    bitmap.close()
  }
}
