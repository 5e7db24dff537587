// The branded build's name, contacts, logo and wording, from the theme the app was built with
// (ui/themes/<id>/theme.json, chosen by `vite build --mode <id>`).
import branding, { logoUrl } from "virtual:careplan-theme";

export const productName = branding.productName;
export const support = branding.support;
/** The theme's replacements for catalog texts (applied in i18n/index.ts). */
export const wording = branding.wording;
/** The relay the build was made for (a vendor's theme), taken by 設定 on a PC that has none yet. */
export const relayPreset = branding.relay ?? null;
export { logoUrl };
