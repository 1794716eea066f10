import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// tracehub serves dist/ under a Content-Security-Policy without
// 'unsafe-inline', so the build must only emit external scripts and styles.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The polyfill is only for browsers without modulepreload; keep the output minimal.
    modulePreload: { polyfill: false },
    // Inline assets would become data: URLs in CSS/JS; keep them as files.
    assetsInlineLimit: 0,
    sourcemap: true,
  },
  server: {
    // `npm run dev -w @tracelab/tracehub-ui` talks to a running hub.
    proxy: { '/api': process.env.TRACEHUB_URL ?? 'http://127.0.0.1:3000' },
  },
});
