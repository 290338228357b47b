// The typed HTTP client: same-origin /api/v1, bearer token attached, a 401 answered by one token refresh.
import createClient from 'openapi-fetch'
import type { paths } from './schema'
import { ApiError } from './errors'
import { loadTokens, saveTokens, tokensFrom, type Tokens } from './tokens'

type AuthLostListener = () => void
const authLost = new Set<AuthLostListener>()

/** Called when the session is gone (refresh refused or impossible): the app asks the user to sign in again. */
export function onAuthLost(listener: AuthLostListener): () => void {
  authLost.add(listener)
  return () => authLost.delete(listener)
}

let refreshing: Promise<boolean> | null = null

/** Trades the refresh token for a new pair (the server rotates it). One refresh at a time for the whole app. */
export function refreshTokens(): Promise<boolean> {
  refreshing ??= (async () => {
    const tokens = loadTokens()
    if (!tokens?.refresh) return false
    try {
      const res = await fetch('/api/v1/auth/refresh', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refresh_token: tokens.refresh }),
      })
      if (res.status >= 500) throw new ApiError(res.status, 'refresh failed')
      if (!res.ok) return false
      saveTokens(tokensFrom(await res.json()))
      return true
    } catch (e) {
      // offline or server trouble: the session may still be good; say so by throwing (callers retry later)
      throw e instanceof ApiError ? e : new ApiError(0, String(e))
    }
  })().finally(() => {
    refreshing = null
  })
  return refreshing
}

function withAuth(request: Request, tokens: Tokens | null): Request {
  if (tokens) request.headers.set('Authorization', `Bearer ${tokens.access}`)
  return request
}

const SOON_MS = 60_000

/** fetch with the bearer token; refreshes ahead of expiry and once after a 401, then replays the request. */
export async function authedFetch(input: Request): Promise<Response> {
  const replay = input.clone()
  let tokens = loadTokens()
  if (tokens?.refresh && tokens.accessExpiresAt && tokens.accessExpiresAt - Date.now() < SOON_MS) {
    if (await refreshTokens().catch(() => false)) tokens = loadTokens()
  }
  let res: Response
  try {
    res = await fetch(withAuth(input, tokens))
  } catch (e) {
    throw new ApiError(0, String(e))
  }
  if (res.status !== 401 || !tokens || input.url.endsWith('/auth/token')) return res
  if (await refreshTokens()) return fetch(withAuth(replay, loadTokens()))
  authLost.forEach((f) => f())
  return res
}

export const client = createClient<paths>({ baseUrl: '', fetch: authedFetch })

/** The data of an openapi-fetch answer, or an ApiError carrying the status and the server's detail. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response }
  try {
    result = await call
  } catch (e) {
    throw e instanceof ApiError ? e : new ApiError(0, String(e))
  }
  const { data, error, response } = result
  if (response.ok) return data as T
  const detail = (error as { detail?: unknown } | undefined)?.detail
  throw new ApiError(response.status, typeof detail === 'string' ? detail : JSON.stringify(detail ?? ''))
}
