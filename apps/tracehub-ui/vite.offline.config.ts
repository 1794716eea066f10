import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The offline trace file's code (src/offline): ONE classic script and ONE
// stylesheet in dist/offline/, which tracehub inlines into the HTML file it
// writes (apps/tracehub/src/transfer/offline-html.ts). No chunks, no assets,
// nothing fetched at run time.
export default defineConfig({
  plugins: [react()],
  publicDir: false,
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: 'dist/offline',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    sourcemap: false,
    modulePreload: false,
    cssCodeSplit: false,
    lib: {
      entry: 'src/offline/main.tsx',
      formats: ['iife'],
      name: 'tracehubOffline',
      fileName: () => 'offline.js',
      cssFileName: 'offline',
    },
  },
});
