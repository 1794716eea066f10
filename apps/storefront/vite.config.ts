import { defineConfig } from 'vite';

// The storefront server sends a Content-Security-Policy without
// 'unsafe-inline', so the build must emit only external scripts and styles.
export default defineConfig({
  root: 'src/web',
  build: {
    outDir: '../../dist/public',
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: true,
  },
  server: {
    // `npx vite` in apps/storefront during development: the page's API through a running storefront server.
    proxy: { '/api': process.env.STOREFRONT_URL ?? 'http://127.0.0.1:8000' },
  },
});
