// The real server on a fresh SQLite database in a temp dir, seeded with the demo district. Shared by every e2e test.
//   const server = await startServer()   // { url, api(path, {user}), token(user), stop() }
import { spawn, execFileSync } from 'node:child_process'
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
export const REPO = resolve(here, '../..')
export const DIST = resolve(here, '../dist')
export const PASSWORD = 'xuncha-demo'
const XUNCHA = process.env.XUNCHA_BIN ?? join(REPO, '.venv/bin/xuncha')

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer()
    s.once('error', fail)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => ok(port))
    })
  })
}

async function waitUp(url, child, ms = 60_000) {
  const until = Date.now() + ms
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`xuncha serve exited with ${child.exitCode}`)
    try {
      if ((await fetch(`${url}/healthz`)).ok) return
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`xuncha serve did not answer at ${url} within ${ms} ms`)
}

export async function startServer({ seed = true, env: extra = {} } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'xuncha-e2e-'))
  const env = {
    ...process.env,
    XUNCHA_DATABASE_URL: `sqlite:///${join(dir, 'xuncha.db')}`,
    XUNCHA_MEDIA_DIR: join(dir, 'media'),
    XUNCHA_LOG_LEVEL: 'WARNING',
    XUNCHA_FRONTEND_DIR: DIST,
    ...extra,
  }
  const run = (...args) => execFileSync(XUNCHA, args, { cwd: dir, env, stdio: ['ignore', 'ignore', 'inherit'] })
  run('migrate')
  if (seed) run('seed-demo')
  const port = await freePort()
  const logFile = join(dir, 'serve.log')
  const child = spawn(XUNCHA, ['serve', '--host', '127.0.0.1', '--port', String(port)], {
    cwd: dir,
    env,
    stdio: ['ignore', openSync(logFile, 'a'), openSync(logFile, 'a')],
  })
  /** The server's log so far (print it when a test fails). */
  const log = () => readFileSync(logFile, 'utf8')
  const url = `http://127.0.0.1:${port}`
  try {
    await waitUp(url, child)
  } catch (e) {
    child.kill()
    console.error(log())
    throw e
  }
  const tokens = new Map()

  async function token(user) {
    if (!tokens.has(user)) {
      const res = await fetch(`${url}/api/v1/auth/token`, {
        method: 'POST',
        body: new URLSearchParams({ username: user, password: PASSWORD }),
      })
      if (!res.ok) throw new Error(`sign-in of ${user}: ${res.status} ${await res.text()}`)
      tokens.set(user, (await res.json()).access_token)
    }
    return tokens.get(user)
  }

  /** JSON from the API as `user` (default demo_office). */
  async function api(path, { user = 'demo_office', method = 'GET', body } = {}) {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${await token(user)}`,
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    })
    if (!res.ok) throw new Error(`${method} ${path} as ${user}: ${res.status} ${await res.text()}`)
    return res.json()
  }

  async function stop() {
    if (child.exitCode === null) {
      child.kill('SIGTERM')
      await new Promise((r) => {
        const t = setTimeout(() => {
          child.kill('SIGKILL')
          r()
        }, 8000)
        child.once('exit', () => {
          clearTimeout(t)
          r()
        })
      })
    }
    rmSync(dir, { recursive: true, force: true })
  }

  return { url, dir, env, api, token, log, stop }
}

/** The mean of a zone's outer ring's corners, as a geolocation: inside the demo's convex zones. */
export function centreOf(zone) {
  const g = zone.geometry
  const ring = g.type === 'Polygon' ? g.coordinates[0] : g.coordinates[0][0]
  const [lon, lat] = [0, 1].map((k) => ring.slice(0, -1).reduce((s, p) => s + p[k], 0) / (ring.length - 1))
  return { latitude: lat, longitude: lon }
}

/** A point inside the demo district's first grid, as a geolocation. */
export async function inFirstGrid(server) {
  return centreOf((await server.api('/api/v1/zones?layer=grid')).features[0])
}
