// The tokens of the signed-in user, kept in localStorage so a field worker stays signed in across restarts.
const KEY = 'xuncha.tokens'

export interface Tokens {
  access: string
  refresh: string | null
  /** epoch ms when the access token stops working (0: unknown) */
  accessExpiresAt: number
}

export function loadTokens(): Tokens | null {
  try {
    const raw = localStorage.getItem(KEY)
    return raw ? (JSON.parse(raw) as Tokens) : null
  } catch {
    return null
  }
}

export function saveTokens(t: Tokens | null): void {
  if (t) localStorage.setItem(KEY, JSON.stringify(t))
  else localStorage.removeItem(KEY)
}

/** The Tokens of a token response ({access_token, refresh_token?, expires_in?}). */
export function tokensFrom(body: { access_token: string; refresh_token?: string | null; expires_in?: number | null }): Tokens {
  const ttl = body.expires_in ?? 0
  return {
    access: body.access_token,
    refresh: body.refresh_token ?? null,
    accessExpiresAt: ttl > 0 ? Date.now() + ttl * 1000 : 0,
  }
}
