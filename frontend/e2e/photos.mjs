// Camera-like JPEG files for the file inputs: made by Pillow in the repo's .venv, each one different.
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { REPO } from './server.mjs'

/** A w×h JPEG of random blocks (seeded), as {name, mimeType, buffer} for setInputFiles. */
export function photoFile(seed, { width = 3000, height = 4000 } = {}) {
  const code = `
import io, random, sys
from PIL import Image, ImageDraw
r = random.Random(${Number(seed)})
img = Image.new("RGB", (${width}, ${height}), (r.randrange(256), r.randrange(256), r.randrange(256)))
d = ImageDraw.Draw(img)
for _ in range(60):
    x, y = r.randrange(${width}), r.randrange(${height})
    d.rectangle([x, y, x + r.randrange(50, 900), y + r.randrange(50, 900)], fill=(r.randrange(256), r.randrange(256), r.randrange(256)))
buf = io.BytesIO()
img.save(buf, "JPEG", quality=85)
sys.stdout.buffer.write(buf.getvalue())
`
  const buffer = execFileSync(join(REPO, '.venv/bin/python'), ['-c', code], { maxBuffer: 64 << 20 })
  return { name: `IMG_${seed}.jpg`, mimeType: 'image/jpeg', buffer }
}
