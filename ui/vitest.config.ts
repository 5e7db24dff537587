import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";
import { careplanTheme } from "./themes/vite-plugin.ts";

export default defineConfig({
  plugins: [react(), careplanTheme()],
  test: {
    environment: "jsdom",
    setupFiles: ["src/test/setup.ts"],
    // Whole flows through the app (login, tabs, sends) on a shared machine: room for a slow one.
    testTimeout: 30_000,
    include: ["src/**/*.test.tsx", "src/**/*.test.ts", "themes/**/*.test.ts", "checks/**/*.test.ts"],
  },
});
