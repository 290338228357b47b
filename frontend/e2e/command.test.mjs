// The units' side of command and accountability: the directive inbox, the check-in button, the unit's score.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { test } from 'node:test'
import { browser, server, stage } from './stage.mjs'
import { login, phone, shot, waitFor } from './browser.mjs'
import { REPO, centreOf } from './server.mjs'

/** A JPEG of random noise (so no photo on record looks like it), made with the server's own Pillow. */
function noisePhoto(name) {
  const path = join(tmpdir(), `${name}-${process.pid}.jpg`)
  const code = `import os;from PIL import Image;Image.frombytes('RGB',(320,240),os.urandom(320*240*3)).save(${JSON.stringify(path)})`
  execFileSync(resolve(REPO, '.venv/bin/python'), ['-c', code])
  return { name: 'photo.jpg', mimeType: 'image/jpeg', buffer: readFileSync(path) }
}

stage()

test('a unit acknowledges a directive in its inbox and the office sees it read', async () => {
  const due = new Date(Date.now() + 86_400_000).toISOString()
  const sent = await server.api('/api/v1/directives', {
    method: 'POST',
    body: { title: '周末迎检', text: '清理责任区暴露垃圾', due_at: due, units: ['cgj'] },
  })
  const context = await phone(browser, server.url)
  const page = await context.newPage()
  await login(page, 'demo_unit')
  await page.getByTestId('nav-directives').click()
  const item = page.getByTestId('directive-item').filter({ hasText: '周末迎检' })
  await item.getByTestId('directive-state').getByText('未读').waitFor()
  await shot(page, 'directives-unread')
  await item.getByTestId('directive-read').click()
  await item.getByTestId('directive-state').getByText('已阅').waitFor()
  const seen = await server.api(`/api/v1/directives/${sent.id}`)
  assert.equal(seen.recipients.find((r) => r.unit === 'cgj').state, 'read')

  // done: a note and two photos from the app's picker; the office reads the note and sees the photos
  await item.getByTestId('directive-done').click()
  await item.getByTestId('directive-submit').click()
  await page.getByText('请填写落实情况并附照片').waitFor() // nothing sent without them
  await item.getByTestId('directive-note').locator('textarea').fill('已清运垃圾 3 车')
  await item.getByTestId('directive-photo').setInputFiles([noisePhoto('directive-1'), noisePhoto('directive-2')])
  await waitFor('two thumbnails', async () => (await item.locator('.photos .thumb img').count()) === 2)
  await shot(page, 'directive-done-form')
  await item.getByTestId('directive-submit').click()
  await item.getByTestId('directive-state').getByText('已完成').waitFor()
  const done = (await server.api(`/api/v1/directives/${sent.id}`)).recipients.find((r) => r.unit === 'cgj')
  assert.equal(done.state, 'done')
  assert.equal(done.done_note, '已清运垃圾 3 车')
  assert.equal(done.photo_ids.length, 2)
  await context.close()
})

test("a unit sees its own score and every point it lost", async () => {
  const expected = await server.api('/api/v1/score/me', { user: 'demo_unit' })
  const context = await phone(browser, server.url)
  const page = await context.newPage()
  await login(page, 'demo_unit')
  await page.getByTestId('nav-score').click()
  await page.getByTestId('score-value').getByText(String(expected.score), { exact: true }).waitFor()
  assert.equal(await page.getByTestId('score-deduction').count(), expected.deductions.length)
  await shot(page, 'score')
  // last week, Monday to Sunday in Beijing (the demo history's points lost, if any that week, each with its reason)
  const day = (d) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(d)
  const monday = new Date(`${day(new Date())}T12:00:00Z`)
  monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7))
  const last = (n) => day(new Date(monday.getTime() - n * 86_400_000))
  const query = `from=${last(7)}&to=${last(1)}`
  const lastWeek = await server.api(`/api/v1/score/me?${query}`, { user: 'demo_unit' })
  const asked = page.waitForRequest((r) => r.url().includes(`/api/v1/score/me?${query}`))
  await page.locator('.score-period-lastWeek').click()
  await asked
  await page.getByText('上周得分').waitFor()
  await page.getByTestId('score-value').getByText(String(lastWeek.score), { exact: true }).waitFor()
  await waitFor('every point lost last week', async () => (await page.getByTestId('score-deduction').count()) === lastWeek.deductions.length)
  await shot(page, 'score-last-week')
  // a unit's people check in too: from 我的
  await page.locator('.van-tabbar').getByText('我的', { exact: true }).click()
  await page.getByTestId('me-checkin').click()
  await page.waitForURL(/#\/checkin$/)
  await shot(page, 'me-unit-checkin')
  await context.close()
})

test('a grid worker checks in at a post from the field home', async () => {
  const sites = await server.api('/api/v1/zones?layer=site')
  const site = sites.features[0]
  const { latitude: lat, longitude: lon } = centreOf(site)
  const post = await server.api('/api/v1/duty/posts', {
    method: 'POST',
    body: { site: site.properties.code, unit: 'sq01', headcount: 1, hours: '00:00-24:00' },
  })
  // first 1 km away: refused, in Chinese, and nothing is recorded
  const context = await phone(browser, server.url, { position: { latitude: lat + 0.009, longitude: lon } })
  const page = await context.newPage()
  await login(page, 'demo_grid')
  await page.getByTestId('nav-checkin').click()
  await page.getByTestId(`checkin-post-${post.id}`).click()
  await page.getByTestId('checkin-photo').setInputFiles(noisePhoto('checkin'))
  await page.locator('.photos .thumb img').waitFor()
  await page.getByText(/定位精度约 \d+ 米/).waitFor()
  await page.getByTestId('checkin-submit').click()
  await page.getByText('您不在该岗位的点位上（超出允许范围），请到岗后再打卡').waitFor()
  await shot(page, 'checkin-too-far')
  const before = await server.api('/api/v1/duty/status')
  assert.equal(before.posts.find((p) => p.post.id === post.id).checked_in, 0)
  // on the site
  await context.setGeolocation({ latitude: lat, longitude: lon, accuracy: 10 })
  await page.getByText('定位精度约 10 米').waitFor()
  assert.equal(await page.locator('.photos .thumb').count(), 0, 'the refused photo is dropped: a new one is taken there')
  await page.getByTestId('checkin-photo').setInputFiles(noisePhoto('checkin-on-site'))
  await page.locator('.photos .thumb img').waitFor()
  await shot(page, 'checkin')
  await page.getByTestId('checkin-submit').click()
  await page.getByTestId('checkin-done').getByText(site.properties.name).waitFor()
  await shot(page, 'checkin-done')
  const status = await server.api('/api/v1/duty/status')
  assert.equal(status.posts.find((p) => p.post.id === post.id).checked_in, 1)
  await context.close()
})
