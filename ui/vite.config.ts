import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';

// The app runs inside Tauri's webview with a strict CSP: no inline scripts or styles, no remote
// assets. Everything is bundled into dist/ as files.
export default defineConfig(({ mode }) => ({
  plugins: [svelte({ compilerOptions: { css: 'external' } }), ...(mode === 'test' ? [svelteTesting()] : [])],
  clearScreen: false,
  base: './',
  server: { port: 5173, strictPort: true },
  build: {
    outDir: mode === 'mock' ? 'dist-mock' : 'dist',
    target: 'es2022',
    sourcemap: false,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
    setupFiles: ['src/test/setup.ts'],
  },
}));
