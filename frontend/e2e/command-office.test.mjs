// The office's side of directives (指令下发): it composes one to two units with a photo and sends it; a unit
// acknowledges it and reports it done; the office sees who is done, with the note, and who has not read it.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { browser, server, stage } from './stage.mjs'
import { login, phone, shot, waitFor } from './browser.mjs'
import { jpeg, uploadPhoto } from './issues.mjs'
import { photoFile } from './photos.mjs'

const TITLE = '周末迎检：清理责任区暴露垃圾'
const NOTE = '已组织清理，共清运垃圾3车'

stage()

test('the office sends a directive to two units and follows it to done', async () => {
  const context = await phone(browser, server.url)
  const page = await context.newPage()
  await login(page, 'demo_office')

  // from the dashboard's 指令下发 button to the list, then 下发指令
  await page.goto('/#/dashboard')
  await page.getByTestId('nav-command').waitFor()
  await shot(page, 'command-dashboard-nav')
  await page.getByTestId('nav-command').click()
  await page.waitForURL(/#\/command$/)
  await page.getByTestId('command-new').click()
  await page.waitForURL(/#\/command\/new$/)

  await page.getByTestId('command-title-input').locator('input').fill(TITLE)
  await page.getByTestId('command-text-input').locator('textarea').fill('请于今日内清理责任区内暴露垃圾，完成后拍照报告。')
  // the deadline: its default is shown; the date and time sheet opens and confirms
  const due = await page.getByTestId('command-due-input').locator('input').inputValue()
  assert.match(due, /\d+\/\d+ \d\d:\d\d/)
  await page.getByTestId('command-due-input').click()
  await page.getByTestId('command-due-sheet').getByText('日期').waitFor()
  await page.waitForTimeout(400)
  await shot(page, 'command-new-deadline')
  await page.getByTestId('command-due-sheet').getByRole('button', { name: '下一步' }).click()
  await page.getByTestId('command-due-sheet').getByRole('button', { name: '确定' }).click()
  await page.getByTestId('command-due-sheet').waitFor({ state: 'hidden' })
  assert.equal(await page.getByTestId('command-due-input').locator('input').inputValue(), due)

  // two units, found by a search
  await page.getByTestId('command-units').click()
  const search = page.getByTestId('pick-unit-search').locator('input')
  await search.fill('城管')
  await page.getByTestId('pick-unit-cgj').click()
  await search.fill('住建')
  await page.getByTestId('pick-unit-zjj').click()
  await page.waitForTimeout(300)
  await shot(page, 'command-new-units')
  await page.getByTestId('pick-unit-done').click()
  await page.getByTestId('command-unit-chip-cgj').waitFor()
  await page.getByTestId('command-unit-chip-zjj').waitFor()

  // a photo, resized on the phone
  await page.getByTestId('command-photo').setInputFiles(photoFile(41))
  await page.locator('.photos .thumb img').first().waitFor()
  await page.waitForTimeout(300)
  await shot(page, 'command-new')

  // offline: said plainly, nothing sent
  await context.setOffline(true)
  await page.getByTestId('command-send').click()
  await page.getByTestId('command-offline').waitFor()
  await shot(page, 'command-new-offline')
  assert.equal((await server.api('/api/v1/directives')).length, 0)
  await context.setOffline(false)
  await waitFor('the app back online', async () => !(await page.getByTestId('command-offline').count()))

  // a double tap sends once (the second tap lands while the first is on its way); the new directive opens
  await page.getByTestId('command-send').evaluate((button) => {
    button.click()
    button.click()
  })
  await page.waitForURL(/#\/command\/\d+$/)
  const id = Number(/command\/(\d+)$/.exec(page.url())[1])
  const sent = await server.api('/api/v1/directives')
  assert.equal(sent.length, 1, 'one directive for a double tap')
  assert.equal(sent[0].id, id)
  assert.equal(sent[0].photo_ids.length, 1)
  assert.deepEqual(sent[0].recipients.map((r) => r.unit).sort(), ['cgj', 'zjj'])

  const unread = page.getByTestId('command-group-unread')
  await unread.getByTestId('command-recipient').nth(1).waitFor()
  assert.equal(await unread.getByTestId('command-recipient').count(), 2)
  await page.getByTestId('command-photos').locator('img').waitFor()
  await page.getByText('未读 2').waitFor()
  await page.waitForTimeout(2200) // the toast 已下发 gone
  await shot(page, 'command-detail-sent')

  // the unit (demo_unit of cgj) reads it, then reports it done with a note and a photo
  await server.api(`/api/v1/directives/${id}/read`, { user: 'demo_unit', method: 'POST' })
  const photo = await uploadPhoto(server, 'demo_unit', await jpeg(browser, 77), { lat: 30.1, lon: 120.1 })
  await server.api(`/api/v1/directives/${id}/done`, {
    user: 'demo_unit',
    method: 'POST',
    body: { note: NOTE, photo_ids: [photo.id] },
  })

  await page.reload()
  const done = page.getByTestId('command-group-done').getByTestId('command-recipient')
  await done.waitFor()
  assert.equal(await done.getAttribute('data-unit'), 'cgj')
  await done.getByTestId('command-done-note').getByText(NOTE).waitFor()
  await done.locator('img').waitFor()
  assert.equal(await unread.getByTestId('command-recipient').count(), 1)
  assert.equal(await unread.getByTestId('command-recipient').getAttribute('data-unit'), 'zjj')
  // the groups' order: 未读 above 已完成
  const [u, d] = await Promise.all([unread.boundingBox(), page.getByTestId('command-group-done').boundingBox()])
  assert.ok(u.y < d.y)
  await shot(page, 'command-detail-done')
  await page.mouse.wheel(0, 600)
  await page.waitForTimeout(300)
  await shot(page, 'command-detail-done-scrolled')

  // the list: its progress at a glance, and the filter of those not all done
  await page.goto('/#/command')
  const item = page.getByTestId('command-item').filter({ hasText: TITLE })
  await item.getByTestId('command-progress').getByText('已完成 1/2').waitFor()
  await item.getByTestId('command-progress').getByText('未读 1').waitFor()
  await shot(page, 'command-list')
  await page.locator('.command-filter-late').click()
  await page.getByText('没有符合条件的指令').waitFor()
  await page.locator('.command-filter-open').click()
  await item.waitFor()
  await context.close()

  // at desktop width: the list and the directive
  const wide = await phone(browser, server.url, { viewport: { width: 1280, height: 800 } })
  const desk = await wide.newPage()
  await login(desk, 'demo_office')
  await desk.goto('/#/command')
  await desk.getByTestId('command-item').first().waitFor()
  await shot(desk, 'command-list-desktop')
  await desk.getByTestId('command-item').first().click()
  await desk.getByTestId('command-group-done').waitFor()
  await desk.locator('[data-testid=command-group-done] img').waitFor()
  await shot(desk, 'command-detail-desktop')
  await wide.close()
})

test('a directive already late shows its deadline in red in the list', async () => {
  // made through the API with a deadline seconds away (the phone asks for a minute at least), then waited out
  const soon = new Date(Date.now() + 3_000).toISOString()
  const made = await server.api('/api/v1/directives', {
    method: 'POST',
    body: { title: '限时整改：门前三包', text: '立即整改', due_at: soon, units: ['cgj'] },
  })
  await new Promise((r) => setTimeout(r, 3_500))
  const context = await phone(browser, server.url)
  const page = await context.newPage()
  await login(page, 'demo_office')
  await page.goto('/#/command')
  const item = page.locator(`[data-testid=command-item][data-id="${made.id}"]`)
  await item.getByTestId('command-due').getByText('已过时限').waitFor()
  assert.equal(await item.getByTestId('command-due').getAttribute('data-overdue'), 'true')
  await item.getByTestId('command-progress').getByText('逾期 1').waitFor()
  await page.locator('.command-filter-late').click()
  await item.waitFor()
  await shot(page, 'command-list-late')
  await context.close()
})

test('a directive to a site reaches its unit, and a refusal of the server is said in Chinese', async () => {
  const sites = await server.api('/api/v1/stats/sites')
  const site = sites.find((s) => s.unit !== 'wlj')
  const context = await phone(browser, server.url)
  const page = await context.newPage()
  await login(page, 'demo_office')
  await page.goto('/#/command/new')
  await page.getByTestId('command-title-input').locator('input').fill('点位迎检')
  await page.getByTestId('command-text-input').locator('textarea').fill('请做好点位迎检准备。')
  await page.getByTestId('command-units').click()
  await page.getByTestId('pick-unit-search').locator('input').fill('文旅')
  await page.getByTestId('pick-unit-wlj').click()
  await page.getByTestId('pick-unit-done').click()
  await page.getByTestId('command-sites').click()
  await page.getByTestId('pick-site-search').locator('input').fill(site.name)
  await page.getByTestId(`pick-site-${site.code}`).click()
  await page.waitForTimeout(300)
  await shot(page, 'command-new-sites')
  await page.getByTestId('pick-site-done').click()

  // the unit is deactivated meanwhile: the server refuses, the phone says why in Chinese
  await server.api('/api/v1/units/wlj', { user: 'demo_admin', method: 'PATCH', body: { active: false } })
  await page.getByTestId('command-send').click()
  await page.getByTestId('command-error').getByText('接收单位不存在或已停用，请重新选择').waitFor()
  await shot(page, 'command-new-refused')
  assert.ok(page.url().endsWith('#/command/new'))

  // without it, the site's unit receives it
  await page.getByTestId('command-unit-chip-wlj').locator('.van-tag__close').click()
  await page.getByTestId('command-send').click()
  await page.waitForURL(/#\/command\/\d+$/)
  const id = Number(/command\/(\d+)$/.exec(page.url())[1])
  const made = await server.api(`/api/v1/directives/${id}`)
  assert.deepEqual(made.recipients.map((r) => r.unit), [site.unit])
  await page.locator(`[data-testid=command-recipient][data-unit="${site.unit}"]`).waitFor()
  await context.close()
})

test('a send whose answer is lost is not sent again: the office is told it may have gone, and the list has it once', async () => {
  const context = await phone(browser, server.url)
  const page = await context.newPage()
  await login(page, 'demo_office')
  await page.goto('/#/command/new')
  await page.getByTestId('command-title-input').locator('input').fill('答复丢失的指令')
  await page.getByTestId('command-text-input').locator('textarea').fill('网络在下发时中断。')
  await page.getByTestId('command-units').click()
  await page.getByTestId('pick-unit-search').locator('input').fill('城管')
  await page.getByTestId('pick-unit-cgj').click()
  await page.getByTestId('pick-unit-done').click()
  // the request reaches the server; its answer never reaches the phone
  await page.route('**/api/v1/directives', async (route) => {
    if (route.request().method() !== 'POST') return route.continue()
    await route.fetch()
    await route.abort('internetdisconnected')
  })
  await page.getByTestId('command-send').click()
  await page.getByText('网络中断，指令可能已下发：请在列表中确认，不要重复下发').waitFor()
  await page.waitForURL(/#\/command$/)
  await page.unroute('**/api/v1/directives')
  const sent = (await server.api('/api/v1/directives')).filter((d) => d.title === '答复丢失的指令')
  assert.equal(sent.length, 1, 'sent once')
  await page.locator(`[data-testid=command-item][data-id="${sent[0].id}"]`).waitFor()
  await context.close()
})
