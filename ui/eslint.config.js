// ESLint over ui/: the screens, their tests, the theme build and the checks. typescript-eslint
// without type information (tsc checks the types), and the Rules of React (eslint-plugin-react-hooks,
// its compiler rules too). Run with `npm run lint --workspace ui`; warnings fail it as well.
//
// TypeScript stays on 6.0 in package.json: typescript-eslint needs the compiler's JavaScript API,
// which TypeScript 7.0 does not have (typescript-eslint#10940).
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig([
  { ignores: ["dist/"] },
  js.configs.recommended,
  tseslint.configs.recommended,
  reactHooks.configs.flat.recommended,
  {
    rules: {
      // `_` names a value left out on purpose (a parameter a callback must take).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
    },
  },
  {
    files: ["src/**"],
    ignores: ["src/i18n/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/i18n/ja", "**/i18n/ja.ts"],
              message: "Import { ja } from the i18n folder (i18n/index.ts): it has the theme's wording applied.",
            },
          ],
        },
      ],
    },
  },
]);
