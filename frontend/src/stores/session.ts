// Who is signed in. The tokens themselves stay inside src/api/.
import { defineStore } from 'pinia'
import * as api from '@/api'

export const useSessionStore = defineStore('session', {
  state: () => ({
    user: null as api.User | null,
    /** the session ended under a working app (refresh refused): ask to sign in again, keep everything */
    needsSignIn: false,
    restored: false,
  }),
  getters: {
    role: (s) => s.user?.role,
    signedIn: (s) => s.user !== null,
  },
  actions: {
    /** On start: the user of the saved tokens (cached for offline starts). */
    async restore(): Promise<void> {
      if (this.restored) return
      this.restored = true
      if (!api.hasSession()) return
      const cached = localStorage.getItem('xuncha.user')
      if (cached) this.user = JSON.parse(cached) as api.User
      try {
        this.setUser(await api.me())
      } catch (e) {
        if (e instanceof api.ApiError && e.unauthorized) this.needsSignIn = true
        // offline: keep the cached user; the app works from the outbox and caches
      }
    },
    async login(username: string, password: string): Promise<void> {
      await api.signIn(username, password)
      this.setUser(await api.me())
      this.needsSignIn = false
    },
    async logout(): Promise<void> {
      await api.signOut()
      this.user = null
      localStorage.removeItem('xuncha.user')
    },
    setUser(user: api.User): void {
      this.user = user
      localStorage.setItem('xuncha.user', JSON.stringify(user))
    },
  },
})
