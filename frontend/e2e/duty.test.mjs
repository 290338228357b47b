// 人员到岗 for the supervision team (office): every post now, empty first; a post found empty on the spot, with the
// finder's position and a photo (it costs the unit points); refused away from the site; a past moment only shown.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { browser, server, stage } from './stage.mjs'
import { login, phone, shot } from './browser.mjs'
import { photoFile } from './photos.mjs'
import { centreOf } from './server.mjs'

stage()

test('the office finds a post empty on the spot, is refused at another site, and only looks at the past', async () => {
  const sites = (await server.api('/api/v1/zones?layer=site')).features
  const [here, there] = [sites[20], sites[40]]
  // posts always on duty (the demo's own posts keep their hours: at night they are off duty)
  const make = (site) => server.api('/api/v1/duty/posts', { method: 'POST', body: { site: site.properties.code, unit: 'sq01', headcount: 1, hours: '00:00-24:00' } })
  const [near, far] = [await make(here), await make(there)]
  const status = await server.api('/api/v1/duty/status')
  const count = (s) => status.posts.filter((p) => p.state === s).length

  const context = await phone(browser, server.url, { position: centreOf(here) })
  const page = await context.newPage()
  await login(page, 'demo_office')
  await page.locator('.van-tabbar').getByText('统计').click()
  await page.getByTestId('nav-duty').click()
  await page.waitForURL(/#\/duty$/)
  await page.getByTestId(`duty-post-${near.id}`).waitFor()
  for (const s of ['empty', 'short', 'staffed', 'off_duty']) assert.equal(Number(await page.getByTestId(`duty-count-${s}`).textContent()), count(s), s)
  // the empty ones come first
  const first = await page.locator('[data-testid^="duty-post-"]').first().getByTestId('duty-state').textContent()
  assert.equal(first, '空岗')
  await shot(page, 'duty-now')

  // at the other post's site? no: this phone stands at the first one
  await page.getByTestId(`duty-find-${far.id}`).click()
  await page.getByTestId('duty-finding').getByText(/定位精度约 \d+ 米/).waitFor()
  await page.getByTestId('duty-finding-submit').click()
  await page.getByText('您不在该岗位的点位现场（超出允许范围），请到现场后再记录空岗').waitFor()
  await page.locator('.van-popup__close-icon').click()
  await page.getByTestId('duty-finding').waitFor({ state: 'detached' })

  // on the spot: a note and a photo
  await page.getByTestId(`duty-find-${near.id}`).click()
  await page.getByTestId('duty-finding-note').locator('textarea').fill('岗位无人，电话联系未到')
  await page.getByTestId('duty-finding-photo').setInputFiles(photoFile(77))
  await page.getByTestId('duty-finding').locator('.photos .thumb img').waitFor()
  await page.getByTestId('duty-finding').getByText(/定位精度约 \d+ 米/).waitFor()
  await shot(page, 'duty-finding')
  await page.getByTestId('duty-finding-submit').click()
  await page.getByText('已记录空岗').waitFor()
  await page.getByTestId('duty-finding').waitFor({ state: 'detached' })
  const score = await server.api('/api/v1/score/units/sq01')
  const lost = score.deductions.filter((d) => d.rule === 'empty_post')
  assert.equal(lost.length, 1, 'one post found empty, once')
  assert.match(lost[0].reason, /岗位无人，电话联系未到/)

  // an hour ago: shown, but nothing to record
  const hourAgo = new Date(Date.now() - 3_600_000 + 8 * 3_600_000).toISOString().slice(0, 16) // Beijing wall time
  await page.getByTestId('duty-at').fill(hourAgo)
  await page.getByTestId('duty-at').dispatchEvent('change')
  await page.getByText(`${hourAgo.slice(11, 16)} 的到岗情况`).waitFor()
  await page.getByTestId(`duty-post-${near.id}`).waitFor()
  assert.equal(await page.locator('[data-testid^="duty-find-"]').count(), 0, 'a past moment is only looked at')
  await shot(page, 'duty-past')
  await page.getByTestId('duty-now').click()
  await page.getByTestId(`duty-find-${near.id}`).waitFor()
  await context.close()
})

test('the supervision screen at desktop width', async () => {
  const context = await phone(browser, server.url, { viewport: { width: 1366, height: 900 } })
  const page = await context.newPage()
  await login(page, 'demo_office')
  await page.goto('/#/duty')
  await page.getByTestId('duty-counts').waitFor()
  await page.locator('[data-testid^="duty-post-"]').first().waitFor()
  const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)
  assert.equal(wide, false, 'nothing wider than the screen')
  await shot(page, 'duty-desktop')
  await context.close()
})
