// A road chief patrols: starts, walks (mocked GPS) along one of the unit's road segments, loses the network half
// way and gets it back, reports nothing, ends; the server then holds exactly the points the phone recorded (none
// twice), the patrol ended, and that segment covered; the summary screen shows the coverage.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { browser, server, stage } from './stage.mjs'
import { installed, login, outboxCount, phone, shot, waitFor } from './browser.mjs'

let context, page, segment, walk

const STEP_M = 12
const WALK_M = 320

/** Points every STEP_M metres along a line ([lon, lat] pairs) for `metres`, as {latitude, longitude}. */
function along(coords, metres) {
  const out = []
  const kx = (lat) => 111320 * Math.cos((lat * Math.PI) / 180)
  const ky = 110540
  let left = 0 // metres into the current piece where the next point falls
  for (let i = 1; i < coords.length && out.length * STEP_M <= metres; i++) {
    const [x0, y0] = coords[i - 1]
    const [x1, y1] = coords[i]
    const len = Math.hypot((x1 - x0) * kx(y0), (y1 - y0) * ky)
    let d = left
    for (; d <= len && out.length * STEP_M <= metres; d += STEP_M) {
      const f = d / len
      out.push({ latitude: y0 + f * (y1 - y0), longitude: x0 + f * (x1 - x0) })
    }
    left = d - len
  }
  return out
}

stage(async () => {
  const me = await server.api('/api/v1/me', { user: 'demo_road' })
  const roads = await server.api('/api/v1/zones?layer=road', { user: 'demo_road' })
  segment = roads.features.find((f) => f.properties.unit === me.unit && f.geometry.type === 'LineString')
  assert.ok(segment, `a road segment of ${me.unit}`)
  walk = along(segment.geometry.coordinates, WALK_M)
  assert.ok(walk.length >= 20, `a walk of ${walk.length} points`)
  // installed (the service worker holds the app's screens): the outbox screen opens with no signal
  context = await phone(browser, server.url, { position: walk[0], serviceWorkers: 'allow' })
  page = await context.newPage()
  await login(page, 'demo_road')
  await installed(page)
})

const figure = async (id) => Number(await page.getByTestId(id).textContent())

/** Moves the phone to walk[i] and waits until the patrol has recorded one more point. */
async function stepTo(i) {
  const before = await figure('patrol-points')
  await context.setGeolocation({ ...walk[i], accuracy: 8 })
  await waitFor(`point ${i} recorded`, async () => (await figure('patrol-points')) > before, 10_000)
  await page.waitForTimeout(250)
}

test('a road chief patrols a segment, offline half way, and the server has every point once', async () => {
  await page.getByTestId('nav-patrol-big').waitFor()
  await shot(page, 'patrol-home-road-chief')
  await page.getByTestId('nav-patrol').click()
  await page.waitForURL(/#\/patrol$/)
  await page.getByTestId('patrol-history-item').first().waitFor() // demo_road has a history
  await shot(page, 'patrol-idle')

  await page.getByTestId('patrol-start').click()
  await page.getByTestId('patrol-figures').waitFor()
  await waitFor('the first fix', async () => (await figure('patrol-points')) >= 1)
  const half = Math.floor(walk.length / 2)
  for (let i = 1; i < 4; i++) await stepTo(i)
  // to the report screen and back: the patrol records on meanwhile
  const before = await figure('patrol-points')
  await page.getByTestId('patrol-report').click()
  await page.waitForURL(/#\/report$/)
  await context.setGeolocation({ ...walk[4], accuracy: 8 })
  await page.waitForTimeout(800)
  await page.getByTestId('nav-patrol').click()
  await page.getByTestId('patrol-figures').waitFor()
  await waitFor('the point recorded while reporting', async () => (await figure('patrol-points')) > before)
  // the tab reloads (or was killed and reopened): the same patrol goes on from the phone's IndexedDB
  const kept = await figure('patrol-points')
  await page.reload()
  await page.getByTestId('patrol-figures').waitFor()
  assert.equal(await figure('patrol-points'), kept)
  for (let i = 5; i < half; i++) await stepTo(i)
  await page.locator('.patrol-map path').first().waitFor({ state: 'attached' })
  await shot(page, 'patrol-live')

  // no signal: recording goes on, the points wait
  await context.setOffline(true)
  for (let i = half; i < walk.length - 4; i++) await stepTo(i)
  await waitFor('points waiting', async () => (await figure('patrol-waiting')) > 0)
  assert.ok((await outboxCount(page)) >= 1, 'the patrol waits in 待上传')
  await shot(page, 'patrol-offline')
  // the outbox shows the patrol as one line; recording goes on meanwhile
  await page.getByTestId('outbox-count').click()
  await page.getByTestId('outbox-patrol-line').first().waitFor()
  await shot(page, 'patrol-outbox-offline')
  await page.getByTestId('nav-patrol').click()
  await page.getByTestId('patrol-figures').waitFor()

  await context.setOffline(false)
  for (let i = walk.length - 4; i < walk.length; i++) await stepTo(i)
  const recorded = await figure('patrol-points')

  await page.getByTestId('patrol-end').click()
  await page.locator('.van-dialog__confirm').click()
  await page.waitForURL(/#\/patrol\/[0-9a-f-]{36}$/)
  const id = page.url().split('/').pop()
  await page.locator('.van-overlay').waitFor({ state: 'hidden' })
  await waitFor('an empty outbox', async () => (await outboxCount(page)) === 0)

  const held = await server.api(`/api/v1/patrols/${id}`, { user: 'demo_road' })
  assert.equal(held.status, 'ended')
  assert.equal(held.points, recorded, `the server holds the ${recorded} points the phone recorded`)
  assert.ok(recorded >= walk.length - 1 && recorded <= walk.length + 1, `about one point per step (${recorded}, ${walk.length} steps)`)
  assert.equal(held.flags.out_of_order ?? 0, 0, 'no point twice (a repeat would be out of order)')
  assert.equal(held.suspect, false)
  const covered = held.segments.find((s) => s.code === segment.properties.code)
  assert.ok(covered.share > 0, `segment ${covered.code} covered (${covered.share})`)
  const summaries = await server.api('/api/v1/patrols', { user: 'demo_road' })
  assert.equal(summaries.filter((p) => p.id === id).length, 1)

  // the summary screen: the segment's coverage
  const row = page.getByTestId(`patrol-segment-${segment.properties.code}`)
  await row.waitFor()
  assert.match(await row.textContent(), new RegExp(`${Math.round(covered.share * 100)}%`))
  await page.locator('.patrol-map path').first().waitFor({ state: 'attached' })
  await shot(page, 'patrol-summary')
  await page.getByTestId('patrol-coverage').scrollIntoViewIfNeeded()
  await shot(page, 'patrol-summary-coverage')

  // the list of my patrols has it, and a tap opens its summary
  await page.getByTestId('nav-patrol').click()
  await page.getByTestId('patrol-history-item').first().waitFor()
  await shot(page, 'patrol-history')
  // a patrol the server flags (made through the API: a teleport of 5 km in 5 s): the warning, in Chinese
  const flagged = crypto.randomUUID()
  const t0 = Date.now() - 3 * 3600_000
  await server.api('/api/v1/patrols', { user: 'demo_road', method: 'POST', body: { id: flagged, started_at: new Date(t0).toISOString() } })
  const points = walk.map((p, i) => ({
    t: new Date(t0 + i * 5000).toISOString(),
    lat: p.latitude,
    lon: p.longitude + (i >= walk.length / 2 ? 0.05 : 0),
    accuracy_m: 8,
  }))
  await server.api(`/api/v1/patrols/${flagged}/points`, { user: 'demo_road', method: 'POST', body: { batch_id: crypto.randomUUID(), points } })
  const ended = await server.api(`/api/v1/patrols/${flagged}/end`, { user: 'demo_road', method: 'POST', body: { ended_at: points.at(-1).t } })
  assert.equal(ended.suspect, true)
  await page.reload()
  await page.getByTestId('patrol-history-item').first().waitFor()
  const list = await server.api('/api/v1/patrols?limit=30', { user: 'demo_road' })
  const at = list.findIndex((p) => p.id === flagged)
  assert.ok(at >= 0, 'the flagged patrol is in my list')
  await page.getByTestId('patrol-history-item').nth(at).click()
  await page.waitForURL(new RegExp(`#/patrol/${flagged}$`))
  await page.getByTestId('patrol-suspect').waitFor()
  assert.doesNotMatch(await page.getByTestId('patrol-suspect').textContent(), /[a-z]_[a-z]/, 'flags in Chinese')
  // the map marks every point the server left out, and says what the red marks are
  const track = await server.api(`/api/v1/patrols/${flagged}/track`, { user: 'demo_road' })
  const left = track.features.filter((f) => f.properties.kind === 'flagged').length
  assert.ok(left > 0, 'the server left points out')
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="patrol-map"]')?.getAttribute('data-flagged')) === n, left)
  await page.getByText('异常点（未计入）').waitFor()
  await shot(page, 'patrol-suspect')
})

test('a patrol ended with no signal: the summary shows what the phone knows, then the coverage once sent', async () => {
  // back to the segment's start before starting (a jump there inside the patrol would be an impossible speed)
  await context.setGeolocation({ ...walk[0], accuracy: 8 })
  await page.getByTestId('nav-patrol').click()
  await page.getByTestId('patrol-start').click()
  await page.getByTestId('patrol-figures').waitFor()
  await waitFor('a fix', async () => (await figure('patrol-points')) >= 1)
  await context.setOffline(true)
  for (let i = 1; i < 8; i++) await stepTo(i)
  const recorded = await figure('patrol-points')
  await page.getByTestId('patrol-end').click()
  await page.locator('.van-dialog__confirm').click()
  await page.waitForURL(/#\/patrol\/[0-9a-f-]{36}$/)
  const id = page.url().split('/').pop()
  await page.getByTestId('patrol-unsent').waitFor()
  await page.getByText('覆盖率在轨迹上传后显示').waitFor()
  await page.locator('.van-overlay').waitFor({ state: 'hidden' })
  assert.match(await page.getByTestId('patrol-summary').textContent(), new RegExp(`${recorded}`))
  await shot(page, 'patrol-summary-offline')

  await context.setOffline(false)
  await waitFor('an empty outbox', async () => (await outboxCount(page)) === 0)
  await page.getByTestId('patrol-unsent').waitFor({ state: 'detached' })
  await page.getByTestId(`patrol-segment-${segment.properties.code}`).waitFor()
  const held = await server.api(`/api/v1/patrols/${id}`, { user: 'demo_road' })
  assert.equal(held.status, 'ended')
  assert.equal(held.points, recorded)
  assert.equal(held.suspect, false, JSON.stringify(held.flags))
  assert.equal(await page.getByTestId('patrol-suspect').count(), 0)
  await shot(page, 'patrol-summary-after-sync')
})
