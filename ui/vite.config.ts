import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import { careplanTheme } from "./themes/vite-plugin.ts";

// Tauri serves the built files; the dev server is only for `tauri dev`. `--mode <id>` builds with
// theme ui/themes/<id>/.
export default defineConfig({
  plugins: [react(), careplanTheme()],
  clearScreen: false,
  server: { port: 1420, strictPort: true },
  build: { target: "es2022", outDir: "dist", emptyOutDir: true },
});
