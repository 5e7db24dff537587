// The branded build's name, contacts and logo, from the theme the app was built with
// (ui/themes/<id>/theme.json, chosen by `vite build --mode <id>`).
import branding, { logoUrl } from "virtual:careplan-theme";

export const productName = branding.productName;
export const support = branding.support;
export { logoUrl };
