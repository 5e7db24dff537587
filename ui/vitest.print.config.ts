// 印刷 through Chromium's print-to-PDF (ui/print): apart from the screen tests, since it needs
// Debian's chromium and poppler-utils, which scripts/run-tests.sh installs.
import { defineConfig } from "vitest/config";
import base from "./vitest.config.ts";

export default defineConfig({ ...base, test: { ...base.test, include: ["print/**/*.test.tsx"], testTimeout: 120_000 } });
