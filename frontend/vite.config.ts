import { fileURLToPath, URL } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { VantResolver } from '@vant/auto-import-resolver'
import Components from 'unplugin-vue-components/vite'
import { VitePWA } from 'vite-plugin-pwa'
import type { Plugin } from 'vite'
import { defineConfig } from 'vitest/config'

// Vant's icon font is embedded in its CSS (a data: URL), which also names a copy on a CDN as a fallback: the CSP
// blocks it (a console error on every page) and a phone in the field should never fetch it, so the build drops it.
const noRemoteIconFont: Plugin = {
  name: 'xuncha-no-remote-icon-font',
  enforce: 'pre',
  transform(code, id) {
    if (!id.includes('vant') || !id.endsWith('.css') || !code.includes('at.alicdn.com')) return null
    return code.replace(/,\s*url\(\/\/at\.alicdn\.com[^)]*\)\s*format\("woff"\)/g, '')
  },
}

// The dev server proxies the API to a running `xuncha serve` (make run) on port 8000.
const api = process.env.XUNCHA_API ?? 'http://127.0.0.1:8000'

export default defineConfig({
  plugins: [
    noRemoteIconFont,
    vue(),
    Components({ resolvers: [VantResolver()], dts: 'components.d.ts' }),
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: ['icon.svg', 'apple-touch-icon.png'],
      manifest: {
        name: '巡查 · 文明城市巡查',
        short_name: '巡查',
        description: '文明城市创建 问题上报与整改',
        lang: 'zh-CN',
        display: 'standalone',
        start_url: './',
        scope: './',
        theme_color: '#1989fa',
        background_color: '#f7f8fa',
        // PNGs made from icon.svg by scripts/icons.mjs (committed)
        icons: [
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: 'maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
        ],
      },
      workbox: {
        navigateFallbackDenylist: [/^\/api\//, /^\/open311\//, /^\/docs/, /^\/healthz/],
        globPatterns: ['**/*.{js,css,html,svg,png,woff2}'],
        // the office's chart and map are not precached on every field phone: fetched when the dashboard
        // first opens, then kept (hashed names never change content)
        globIgnores: ['**/TrendChart-*', '**/IssueMap-*'],
        runtimeCaching: [
          {
            urlPattern: ({ url }) => url.pathname.startsWith('/assets/'),
            handler: 'CacheFirst',
            options: { cacheName: 'xuncha-assets', expiration: { maxEntries: 80 } },
          },
        ],
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  server: { proxy: { '/api': api } },
  build: { target: 'es2020', chunkSizeWarningLimit: 1200, manifest: true },
  test: {
    environment: 'happy-dom',
    include: ['tests/**/*.test.ts'],
    setupFiles: ['tests/setup.ts'],
    // the router's screens import Vant's CSS: let Vite transform it (a test imports the route table)
    server: { deps: { inline: ['vant'] } },
  },
})
