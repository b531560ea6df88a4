import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { compression, defineAlgorithm } from 'vite-plugin-compression2';

// The Warren server; during development the browser talks to it through this proxy, so the
// app always uses same-origin `/api` URLs (as it does when the server serves the built app).
// WARREN_SERVER points it elsewhere, e.g. at a second server on another port.
const server = process.env.WARREN_SERVER ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [
    react(),
    // Brotli and gzip copies beside each asset; the server sends the one the browser accepts
    // (@fastify/static's preCompressed), so nothing is compressed per request.
    compression({
      algorithms: [defineAlgorithm('brotliCompress'), defineAlgorithm('gzip', { level: 9 })],
      threshold: 1024,
    }),
  ],
  server: {
    proxy: {
      '/api': { target: server, ws: true, changeOrigin: true },
    },
  },
  preview: {
    proxy: {
      '/api': { target: server, ws: true, changeOrigin: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // React, React Flow and the shared schema library make one ~170 kB (gzip) bundle; fine
    // for an app that is opened once per session.
    chunkSizeWarningLimit: 800,
  },
});
