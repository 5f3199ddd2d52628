// The renderer: React + zustand + plotly, built to dist/renderer/main_window (Forge: .vite/renderer/main_window).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer/main_window',
    emptyOutDir: true,
    chunkSizeWarningLimit: 6000, // plotly alone is ~4.5 MB; it loads from disk, not the network
  },
});
