// The office's dashboard at desktop width and on a phone: the figures are the API's, and an issue closed
// through the API reaches the open dashboard through the live feed, without a reload.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { browser, server, stage } from './stage.mjs'
import { login, phone, shot } from './browser.mjs'

const DESKTOP = { width: 1366, height: 900 }

const text = async (page, id) => (await page.getByTestId(id).textContent()).trim()
const rate = (r) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`)

async function openDashboard(viewport) {
  const context = await phone(browser, server.url, { viewport })
  const page = await context.newPage()
  const errors = []
  page.on('pageerror', (e) => errors.push(String(e)))
  await login(page, 'demo_office')
  await page.goto('/#/dashboard')
  await page.getByTestId('dashboard-total').waitFor()
  await page.getByTestId('dashboard-map').locator('.leaflet-interactive').first().waitFor({ state: 'attached' })
  await page.getByTestId('dashboard-trend').locator('canvas').waitFor()
  await page.getByText('实时更新中').waitFor()
  return { context, page, errors }
}

async function assertFigures(page) {
  const s = await server.api('/api/v1/stats/summary')
  assert.equal(await text(page, 'dashboard-total'), String(s.total))
  assert.equal(await text(page, 'dashboard-closed'), String(s.closed))
  assert.equal(await text(page, 'dashboard-overdue'), String(s.overdue))
  assert.equal(await text(page, 'dashboard-rate'), rate(s.rectification_rate))
  for (const [status, n] of Object.entries(s.by_status)) {
    const cell = page.getByTestId(`dashboard-status-${status}`)
    if (await cell.count()) assert.match(await cell.textContent(), new RegExp(`^${n}`))
  }
  return s
}

/** A fresh, unique JPEG drawn by the browser (noise), as bytes. */
async function freshJpeg(page) {
  const b64 = await page.evaluate(() => {
    const c = document.createElement('canvas')
    c.width = c.height = 256
    const g = c.getContext('2d')
    const img = g.createImageData(256, 256)
    for (let i = 0; i < img.data.length; i++) img.data[i] = i % 4 === 3 ? 255 : Math.floor(Math.random() * 256)
    g.putImageData(img, 0, 0)
    return c.toDataURL('image/jpeg', 0.9).split(',')[1]
  })
  return Buffer.from(b64, 'base64')
}

/** The office verifies a rectified issue through the API (a fresh photo at the issue's point): it closes. */
async function closeOneIssue(page) {
  const { items } = await server.api('/api/v1/issues?status=rectified&limit=1')
  assert.ok(items.length, 'the demo district has a rectified issue to verify')
  const issue = items[0]
  const form = new FormData()
  form.append('file', new Blob([await freshJpeg(page)], { type: 'image/jpeg' }), 'verify.jpg')
  form.append('lat', String(issue.lat))
  form.append('lon', String(issue.lon))
  form.append('accuracy_m', '5')
  form.append('taken_at', new Date().toISOString())
  const token = await server.token('demo_office')
  const up = await fetch(`${server.url}/api/v1/photos`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
    body: form,
  })
  const answer = await up.text()
  assert.ok(up.ok, `photo upload: ${up.status} ${answer}`)
  const photo = JSON.parse(answer)
  const closed = await server.api(`/api/v1/issues/${issue.id}/actions`, {
    method: 'POST',
    body: { action: 'verify', photo_ids: [photo.id] },
  })
  assert.equal(closed.status, 'closed')
}

stage()

test('the dashboard at desktop width: the API figures, then live updates without a reload', async () => {
  const { context, page, errors } = await openDashboard(DESKTOP)
  const before = await assertFigures(page)
  await shot(page, 'dashboard-desktop')
  await page.screenshot({ path: new URL('./screenshots/dashboard-desktop-full.png', import.meta.url).pathname, fullPage: true })

  // the page must not reload: a mark on window survives only if it does not
  await page.evaluate(() => (window.__noReload = true))
  await closeOneIssue(page)
  await page.waitForFunction(
    (n) => document.querySelector('[data-testid="dashboard-closed"]')?.textContent?.trim() === String(n),
    before.closed + 1,
    { timeout: 15_000 },
  )
  assert.equal(await page.evaluate(() => window.__noReload), true)
  const afterClose = await assertFigures(page)
  assert.equal(afterClose.closed, before.closed + 1)
  await shot(page, 'dashboard-desktop-after-close')
  assert.deepEqual(errors, [])
  await context.close()
})

test('the dashboard on a phone (390×844): same figures, nothing wider than the screen', async () => {
  const { context, page, errors } = await openDashboard({ width: 390, height: 844 })
  await assertFigures(page)
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`)
  await shot(page, 'dashboard-phone')
  await page.screenshot({ path: new URL('./screenshots/dashboard-phone-full.png', import.meta.url).pathname, fullPage: true })
  assert.deepEqual(errors, [])
  await context.close()
})

test('an export is downloaded with the token (not a bare link)', async () => {
  const context = await phone(browser, server.url, { viewport: DESKTOP })
  const page = await context.newPage()
  await login(page, 'demo_office')
  await page.goto('/#/dashboard')
  await page.getByTestId('dashboard-total').waitFor()
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-issues-csv').click()])
  assert.match(download.suggestedFilename(), /\.csv$/)
  const path = await download.path()
  const { readFileSync } = await import('node:fs')
  const body = readFileSync(path, 'utf8')
  assert.ok(body.split('\n').length > 10, 'the CSV holds the issues')
  await context.close()
})

test('路长巡查: each unit’s coverage of a day, least covered first, and the segments nobody patrolled', async () => {
  const context = await phone(browser, server.url)
  const page = await context.newPage()
  const errors = []
  page.on('pageerror', (e) => errors.push(String(e)))
  await login(page, 'demo_office')
  await page.goto('/#/dashboard')
  await page.getByTestId('nav-coverage').click()
  await page.getByTestId('coverage-unit').first().waitFor()

  const pct = (x) => (x === null ? '—' : `${Math.round(x * 100)}%`)
  const meanShare = (days) => {
    const shares = days.flatMap((u) => u.by_segment.map((s) => s.share))
    return shares.length ? shares.reduce((a, b) => a + b, 0) / shares.length : null
  }
  const today = await server.api('/api/v1/patrols/daily')
  assert.ok(today.length > 0, 'the demo district has units with road segments')
  assert.equal(await page.getByTestId('coverage-unit').count(), today.length)
  assert.equal(await text(page, 'coverage-rate'), pct(meanShare(today)))
  const least = [...today].sort((a, b) => (a.coverage ?? 1) - (b.coverage ?? 1))[0]
  assert.match(await page.getByTestId('coverage-unit').first().textContent(), new RegExp(least.name))
  const left = await server.api('/api/v1/patrols/unpatrolled')
  assert.equal(await page.getByTestId('coverage-unpatrolled').count(), left.length)

  // the day before: the demo's history has patrols on it
  await page.getByRole('button', { name: '前一天' }).click()
  const day = await page.getByTestId('coverage-date').inputValue()
  const before = await server.api(`/api/v1/patrols/daily?date=${day}`)
  await page.waitForFunction(
    (want) => document.querySelector('[data-testid="coverage-rate"]')?.textContent.trim() === want,
    pct(meanShare(before)),
  )
  await page.getByTestId('coverage-unit').first().click() // its segments, each with its share
  await page.locator('.segment').first().waitFor()
  await page.waitForTimeout(400) // the collapse's animation
  await shot(page, 'coverage-phone')
  const wide = await page.evaluate(() => document.documentElement.scrollWidth)
  assert.ok(wide <= 390, `nothing wider than the phone (${wide})`)
  await page.setViewportSize(DESKTOP)
  await shot(page, 'coverage-desktop')
  await page.setViewportSize({ width: 390, height: 844 })

  // a unit that patrolled that day: its patrols, and one's track on the map (the office reads any unit's)
  const busy = before.find((u) => u.patrols > 0)
  assert.ok(busy, 'the demo history has patrols the day before')
  await page.getByTestId('coverage-unit').filter({ hasText: busy.name }).click()
  await page.getByTestId('coverage-patrol').first().waitFor()
  const patrols = await server.api(`/api/v1/patrols?date=${day}&unit=${busy.unit}`)
  assert.equal(await page.getByTestId('coverage-patrol').count(), patrols.length)
  await page.getByTestId('coverage-patrol').first().click()
  await page.waitForURL(new RegExp(`#/patrol/${patrols[0].id}$`))
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="patrol-map"]')?.getAttribute('data-track')) > 1)
  await page.locator('.patrol-map path').first().waitFor({ state: 'attached' })
  await shot(page, 'coverage-patrol-track')
  assert.equal(await page.getByText('返回巡路').count(), 0) // the road chief's own button is not the office's
  assert.deepEqual(errors, [])
  await context.close()
})
