// The catalog as this build shows it: ja.ts with the theme's wording (ui/themes/<id>/theme.json,
// "messages") applied. Screens import `ja` from here, never from ./ja.
import { wording } from "../branding";
import { catalog } from "./ja";
import { applyWording } from "./wording";

export const ja = applyWording(catalog, wording);
