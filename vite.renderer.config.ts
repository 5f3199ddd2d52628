// The renderer: React + zustand + plotly, from renderer/ into .vite/renderer/main_window (where Forge's Vite
// plugin puts a renderer named main_window; the path is absolute because `root` is renderer/).
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY } from './shared/security.ts';

/** The page's CSP comes from shared/security.ts, the one place it is written. */
const csp: Plugin = {
  name: 'furrow-csp',
  transformIndexHtml: (html) =>
    html.replace('%FURROW_CSP%', CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", '')),
};

export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [react(), csp],
  build: {
    outDir: fileURLToPath(new URL('./.vite/renderer/main_window', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 6000, // plotly alone is ~4.5 MB; it loads from disk, not the network
  },
});
