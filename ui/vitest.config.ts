import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";
import { careplanTheme } from "./themes/vite-plugin.ts";

export default defineConfig({
  plugins: [react(), careplanTheme()],
  test: {
    environment: "jsdom",
    setupFiles: ["src/test/setup.ts"],
    include: ["src/**/*.test.tsx", "src/**/*.test.ts", "themes/**/*.test.ts", "checks/**/*.test.ts"],
  },
});
