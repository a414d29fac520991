// The web app's build: React, Tailwind 4 (its Vite plugin, no PostCSS config), one chunk per page
// (the router lazy-loads them), and a dev server that sends /api to the platform API so the session
// cookie stays same-origin, as it is when the platform serves the built app.
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

const platform = process.env.FOMO_PLATFORM_URL ?? "http://127.0.0.1:8788";

export default defineConfig({
  plugins: [react(), tailwindcss()],
  server: { host: "127.0.0.1", proxy: { "/api": platform } },
  preview: { host: "127.0.0.1", proxy: { "/api": platform } },
  build: { target: "es2022", sourcemap: true, chunkSizeWarningLimit: 1024 },
  test: { environment: "jsdom", include: ["src/**/*.test.tsx", "src/**/*.test.ts"] },
});
