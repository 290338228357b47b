// Issues for the e2e tests, made through the API: distinct test JPEGs (the server refuses a re-used or
// perceptually similar rectify/verify photo, so each seed draws another picture), their upload, a report.

/** A 640×480 JPEG of coarse random blocks and shapes; different seeds give perceptually different pictures. */
export async function jpeg(browser, seed) {
  const page = await browser.newPage()
  try {
    const dataUrl = await page.evaluate((seed) => {
      let s = seed * 2654435761 % 4294967296 || 1
      const rnd = () => ((s = (s * 1664525 + 1013904223) % 4294967296) / 4294967296)
      const canvas = Object.assign(document.createElement('canvas'), { width: 640, height: 480 })
      const g = canvas.getContext('2d')
      for (let y = 0; y < 6; y++)
        for (let x = 0; x < 8; x++) {
          const v = Math.floor(rnd() * 256)
          g.fillStyle = `rgb(${v},${Math.floor(rnd() * 256)},${255 - v})`
          g.fillRect(x * 80, y * 80, 80, 80)
        }
      for (let i = 0; i < 12; i++) {
        g.fillStyle = rnd() > 0.5 ? '#000' : '#fff'
        g.beginPath()
        g.arc(rnd() * 640, rnd() * 480, 20 + rnd() * 80, 0, Math.PI * 2)
        g.fill()
      }
      return canvas.toDataURL('image/jpeg', 0.9)
    }, seed)
    return Buffer.from(dataUrl.split(',')[1], 'base64')
  } finally {
    await page.close()
  }
}

/** Uploads a photo as `user` with the phone's fields; returns the server's photo. */
export async function uploadPhoto(server, user, bytes, { lat, lon }) {
  const form = new FormData()
  form.append('file', new Blob([bytes], { type: 'image/jpeg' }), 'photo.jpg')
  form.append('lat', String(lat))
  form.append('lon', String(lon))
  form.append('taken_at', new Date().toISOString())
  const res = await fetch(`${server.url}/api/v1/photos`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${await server.token(user)}` },
    body: form,
  })
  if (!res.ok) throw new Error(`photo upload as ${user}: ${res.status} ${await res.text()}`)
  return res.json()
}

/** A grid worker's report through the API (as the report screen would send it). */
export async function report(server, browser, { seed, lat, lon, category = 'fac.bench', description = '' }) {
  const photo = await uploadPhoto(server, 'demo_grid', await jpeg(browser, seed), { lat, lon })
  return server.api('/api/v1/issues', {
    user: 'demo_grid',
    method: 'POST',
    body: { category, description, lat, lon, accuracy_m: 8, photo_ids: [photo.id] },
  })
}
