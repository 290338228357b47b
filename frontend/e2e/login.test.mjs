// Every role signs in and lands on its own home.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { browser, server, stage } from './stage.mjs'
import { login, phone, shot } from './browser.mjs'

for (const [user, hash] of [
  ['demo_grid', '#/field'],
  ['demo_road', '#/field'],
  ['demo_unit', '#/tasks'],
  ['demo_office', '#/review'],
  ['demo_admin', '#/review'],
]) {
  test(`${user} signs in to its home`, async () => {
    const context = await phone(browser, server.url)
    const page = await context.newPage()
    const errors = [] // a blocked font or script (CSP) is a console error: there must be none
    page.on('console', (msg) => msg.type() === 'error' && errors.push(msg.text()))
    await login(page, user)
    assert.equal(new URL(page.url()).hash, hash)
    if (hash === '#/field') await page.getByTestId('nav-report').waitFor()
    await shot(page, `home-${user}`)
    assert.deepEqual(errors, [])
    await context.close()
  })
}

stage()

test('a wrong password is refused in Chinese and stays on the login screen', async () => {
  const context = await phone(browser, server.url)
  const page = await context.newPage()
  await page.goto('/')
  await shot(page, 'login')
  await page.getByTestId('login-username').locator('input').fill('demo_grid')
  await page.getByTestId('login-password').locator('input').fill('wrong')
  await page.getByTestId('login-submit').click()
  await page.getByRole('alert').getByText('账号或密码不正确').waitFor()
  assert.match(new URL(page.url()).hash, /^#\/login/)
  await shot(page, 'login-refused')
  await context.close()
})
