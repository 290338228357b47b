// Site inspections (点位检查): the office's readiness list, an inspection with a failed item and its photo at a
// mocked position (it arrives once and the failure became an issue), one made offline, a unit's self-check, and
// one from 1 km away that the server refuses (kept in 待上传 with the reason in Chinese).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { browser, server, stage } from './stage.mjs'
import { installed, login, outboxCount, phone, shot, waitFor } from './browser.mjs'
import { photoFile } from './photos.mjs'
import { centreOf } from './server.mjs'

let sites, readiness, office, page
const started = Date.now()

/** A point inside a site's polygon (centreOf), checked with /locate. */
async function inside(code) {
  const f = sites.features.find((x) => x.properties.code === code)
  const { latitude: lat, longitude: lon } = centreOf(f)
  const located = await server.api(`/api/v1/locate?lat=${lat}&lon=${lon}`)
  assert.ok(located.matches.some((m) => m.layer === 'site' && m.code === code && m.distance_m === 0), `inside ${code}`)
  return { latitude: lat, longitude: lon }
}

/** Inspections of a site made during this test run by `user`. */
async function made(code, user) {
  const { items } = await server.api(`/api/v1/inspections?site=${code}&limit=200`)
  return items.filter((i) => i.inspector === user && Date.parse(i.at) >= started - 60_000)
}

/** Answers every item of the open form 通过, then `fail` (with a photo and a note) 不通过. */
async function answer(p, code, user, { fail = null, seed = 1 } = {}) {
  const form = await server.api(`/api/v1/sites/${code}/inspection-form`, { user })
  for (const item of form.checklist.items) await p.getByTestId(`inspect-pass-${item.code}`).click()
  if (fail) {
    await p.getByTestId(`inspect-fail-${fail}`).click()
    assert.match(await p.getByTestId('inspect-reason').textContent(), /1 项不通过还缺照片/)
    await p.getByTestId(`inspect-photo-${fail}`).setInputFiles(photoFile(seed))
    await p.getByTestId(`inspect-item-${fail}`).locator('.thumb img').waitFor()
    await p.getByTestId(`inspect-note-${fail}`).locator('textarea').fill('垃圾箱满溢')
  }
  await p.getByTestId('inspect-reason').getByText('全部检查完毕，可以提交').waitFor()
  return form
}

stage(async () => {
  sites = await server.api('/api/v1/zones?layer=site')
  readiness = await server.api('/api/v1/stats/sites?order=readiness')
  // installed: the app shell precached by its service worker, so screens open with no signal
  office = await phone(browser, server.url, { position: await inside(readiness[0].code), serviceWorkers: 'allow' })
  page = await office.newPage()
  await login(page, 'demo_office')
  await installed(page)
})

test('the office opens 点位: the least ready site first, as /stats/sites?order=readiness says; search finds one', async () => {
  await page.getByTestId('nav-sites').click()
  await page.waitForURL(/#\/sites/)
  const rows = page.getByTestId('site-item')
  await rows.first().waitFor()
  assert.equal(await rows.count(), readiness.length)
  assert.equal(await rows.first().getAttribute('data-code'), readiness[0].code)
  assert.deepEqual(
    await rows.evaluateAll((els) => els.slice(0, 10).map((e) => e.dataset.code)),
    readiness.slice(0, 10).map((s) => s.code),
  )
  await shot(page, 'sites-office')
  const inspected = readiness.find((s) => s.last_inspected_at && s.pass_share !== null)
  await page.getByTestId('site-search').locator('input').fill(inspected.name)
  await waitFor('the searched site', async () => (await rows.first().getAttribute('data-code')) === inspected.code)
  assert.match(await rows.first().getByTestId('site-share').textContent(), new RegExp(`达标率 ${Math.round(inspected.pass_share * 100)}%`))
  await page.getByTestId('site-search').locator('input').fill('')

  const desk = await phone(browser, server.url, { viewport: { width: 1280, height: 800 } })
  const dp = await desk.newPage()
  await login(dp, 'demo_office')
  await dp.getByTestId('nav-sites').click()
  await dp.getByTestId('site-item').first().waitFor()
  await shot(dp, 'sites-office-desktop')
  await desk.close()
})

test('the office inspects the least ready site at its place: one failed item with a photo; it arrives once and became an issue', async () => {
  const code = readiness[0].code
  await page.getByTestId('site-item').first().click()
  await page.getByTestId('site-inspect').click() // the site, then 开始检查
  await page.waitForURL(new RegExp(`#/inspect/${code}`))
  await page.getByTestId('inspect-at-site').getByText('在点位范围内').waitFor()
  await shot(page, 'inspect-empty')
  const form = await server.api(`/api/v1/sites/${code}/inspection-form`)
  const failed = form.checklist.items[0]
  await answer(page, code, 'demo_office', { fail: failed.code, seed: 11 })
  // the answers survive a reload
  await page.waitForTimeout(500)
  await page.reload()
  await page.getByTestId(`inspect-item-${failed.code}`).locator('.thumb img').waitFor()
  assert.equal(await page.getByTestId(`inspect-item-${failed.code}`).getAttribute('data-result'), 'fail')
  assert.match(await page.getByTestId('inspect-progress').textContent(), new RegExp(`${form.checklist.items.length} / ${form.checklist.items.length}`))
  await page.getByTestId(`inspect-item-${failed.code}`).scrollIntoViewIfNeeded()
  await shot(page, 'inspect-filled')
  await page.getByTestId('inspect-submit').click()
  await page.waitForURL(/#\/sites/)
  await waitFor('the inspection on the server', async () => (await made(code, 'demo_office')).length === 1)
  await waitFor('an empty outbox', async () => (await outboxCount(page)) === 0)
  const [summary] = await made(code, 'demo_office')
  const inspection = await server.api(`/api/v1/inspections/${summary.id}`)
  assert.equal(inspection.self_check, false)
  assert.equal(inspection.failed, 1)
  assert.equal(inspection.passed + inspection.na, form.checklist.items.length - 1)
  const item = inspection.items.find((i) => i.result === 'fail')
  assert.equal(item.code, failed.code)
  assert.equal(item.note, '垃圾箱满溢')
  assert.equal(item.photo_ids.length, 1)
  assert.ok(item.issue_id, 'the failed item became an issue')
  const issue = await server.api(`/api/v1/issues/${item.issue_id}`)
  assert.equal(issue.category, failed.category)
  assert.deepEqual(issue.photos.map((p) => p.id), item.photo_ids)
  await new Promise((r) => setTimeout(r, 1500))
  assert.equal((await made(code, 'demo_office')).length, 1)
  // the site's page: its latest inspection, the failed item and the issue it became
  await page.goto(`/#/site/${code}`)
  await page.getByTestId('site-failed-item').first().waitFor()
  assert.equal(await page.getByTestId('site-failed-item').count(), 1)
  assert.match(await page.getByTestId('site-failed-issue').textContent(), new RegExp(issue.ref))
  assert.equal((await page.getByTestId('site-share-latest').textContent()).trim(), `${Math.round(inspection.pass_share * 100)}%`)
  await page.getByTestId('site-failed-item').locator('img').first().waitFor()
  await shot(page, 'site-detail')
  // opened again: the item that failed comes first, marked 上次未通过
  await page.goto(`/#/inspect/${code}`)
  const first = page.locator('[data-testid^="inspect-item-"]').first()
  await first.getByTestId('inspect-last-failed').waitFor()
  assert.equal(await first.getAttribute('data-testid'), `inspect-item-${failed.code}`)
  await shot(page, 'inspect-last-failed')
  await page.goBack()
})

test('an inspection made offline (the form opened once before) waits in 待上传 and arrives exactly once', async () => {
  const code = readiness[1].code
  await office.setGeolocation({ accuracy: 8, ...(await inside(code)) })
  await page.goto(`/#/inspect/${code}`)
  await page.getByTestId('inspect-progress').waitFor() // the form is now on the phone
  await page.goto('/#/sites')
  await page.getByTestId('site-item').first().waitFor()
  await office.setOffline(true)
  try {
  await page.locator(`[data-testid="site-item"][data-code="${code}"]`).click()
  await page.getByTestId('site-inspect').click() // the site, then 开始检查
  await page.getByTestId('cached-note').waitFor()
  await answer(page, code, 'demo_office', { fail: (await server.api(`/api/v1/sites/${code}/inspection-form`)).checklist.items.at(-1).code, seed: 12 })
  await shot(page, 'inspect-offline')
  await page.getByTestId('inspect-submit').click()
  await page.waitForURL(/#\/sites/)
  await waitFor('待上传 1', async () => (await outboxCount(page)) === 1)
  await page.getByTestId('outbox-count').click()
  await page.getByText('点位检查 ·').waitFor()
  await shot(page, 'outbox-inspection-waiting')
  assert.equal((await made(code, 'demo_office')).length, 0)
  // a site never opened on this phone: its form is made from its kind's checklist, kept when the list was opened
  const other = readiness[3].code
  const kind = sites.features.find((f) => f.properties.code === other).properties.category
  const checklist = (await server.api('/api/v1/checklists')).find((c) => c.site_kind === kind)
  await page.evaluate((c) => (location.hash = `#/inspect/${c}`), other)
  await page.getByTestId('inspect-progress').waitFor()
  await page.getByTestId('cached-note').waitFor()
  assert.equal(await page.locator('[data-testid^="inspect-item-"]').count(), checklist.items.length)
  await page.evaluate(() => (location.hash = '#/sites'))
  } finally {
  await office.setOffline(false)
  }
  await waitFor('the inspection on the server', async () => (await made(code, 'demo_office')).length === 1)
  await waitFor('an empty outbox', async () => (await outboxCount(page)) === 0)
  await new Promise((r) => setTimeout(r, 2000))
  assert.equal((await made(code, 'demo_office')).length, 1)
})

test('demo_unit self-checks one of its own sites (self_check true)', async () => {
  const me = await server.api('/api/v1/me', { user: 'demo_unit' })
  const own = sites.features.filter((f) => f.properties.unit === me.unit).map((f) => f.properties.code)
  assert.ok(own.length > 0)
  const code = own[0]
  const context = await phone(browser, server.url, { position: await inside(code) })
  const p = await context.newPage()
  await login(p, 'demo_unit')
  await p.getByTestId('nav-sites').click()
  const rows = p.getByTestId('site-item')
  await rows.first().waitFor()
  const codes = await rows.evaluateAll((els) => els.map((e) => e.dataset.code))
  assert.deepEqual([...codes].sort(), [...own].sort())
  await shot(p, 'sites-unit')
  await p.locator(`[data-testid="site-item"][data-code="${code}"]`).click()
  await p.getByTestId('site-inspect').click() // the site, then 开始检查
  await answer(p, code, 'demo_unit')
  await shot(p, 'inspect-unit')
  await p.getByTestId('inspect-submit').click()
  await p.waitForURL(/#\/sites/)
  await waitFor('the self-check on the server', async () => (await made(code, 'demo_unit')).length === 1)
  const [summary] = await made(code, 'demo_unit')
  assert.equal(summary.self_check, true)
  assert.equal(summary.failed, 0)
  await waitFor('the row shows 自查', async () => {
    await p.reload()
    await rows.first().waitFor()
    return (await p.locator(`[data-testid="site-item"][data-code="${code}"]`).getByTestId('site-self-check').count()) === 1
  })
  await shot(p, 'sites-unit-after')
  await context.close()
})

test('an inspection from 1 km away is refused and stays in 待上传 with the Chinese reason', async () => {
  const code = readiness[2].code
  // 1 km north of the site's outline
  const f = sites.features.find((x) => x.properties.code === code)
  const corners = JSON.stringify(f.geometry.coordinates).match(/-?\d+\.\d+,-?\d+\.\d+/g).map((p) => p.split(',').map(Number))
  const north = Math.max(...corners.map((c) => c[1])) + 0.009
  const lon = corners.reduce((s, c) => s + c[0], 0) / corners.length
  await office.setGeolocation({ accuracy: 8, latitude: north, longitude: lon })
  await page.goto(`/#/inspect/${code}`)
  await page.getByTestId('inspect-at-site').getByText('不在点位范围内，提交后可能被退回').waitFor()
  await answer(page, code, 'demo_office')
  await shot(page, 'inspect-far')
  await page.getByTestId('inspect-submit').click()
  await page.waitForURL(/#\/sites/)
  await page.getByTestId('outbox-count').click()
  await page.getByTestId('outbox-item-refused').waitFor()
  await page.getByText('您不在该点位现场（超出允许范围），请到点位后重新提交检查').waitFor()
  assert.equal(await outboxCount(page), 1)
  assert.equal((await made(code, 'demo_office')).length, 0)
  await shot(page, 'outbox-inspection-refused')
  // 修改 opens the inspection again with its answers, to be sent from the site
  await page.getByRole('button', { name: '修改', exact: true }).click()
  await page.waitForURL(new RegExp(`#/inspect/${code}\\?fix=`))
  await page.getByTestId('inspect-reason').getByText('全部检查完毕，可以提交').waitFor()
  await shot(page, 'inspect-fix')
})
