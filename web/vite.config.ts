import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The dashboard is built into dist/web (scripts/build.ts) and served by `patchcast serve`, which
// serves the hashed files under /static/ (src/api/web-routes.ts). `vite dev` proxies the API to a
// running `patchcast serve` (PATCHCAST_API, default http://127.0.0.1:8080).
const api = process.env.PATCHCAST_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    assetsDir: 'static',
    // One chunk per large library keeps the app's own chunk small and cached apart.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: { '/api': api, '/openapi.json': api },
  },
});
