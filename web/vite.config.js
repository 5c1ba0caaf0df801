// Vite bundles socket.io-client with our ES modules into hashed files under /assets/, which the
// server serves under a strict CSP (script-src 'self'; style-src 'self'): nothing inline.
import { defineConfig } from "vite";

export default defineConfig({
  build: {
    outDir: "dist",
    assetsDir: "assets",
    modulePreload: { polyfill: false },
    target: "es2020",
  },
  server: {
    proxy: {
      "/api": "http://127.0.0.1:8080",
      "/socket.io": { target: "ws://127.0.0.1:8080", ws: true },
    },
  },
});
