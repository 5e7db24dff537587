// Modules made at build time by ui/themes/vite-plugin.ts from the chosen theme.
declare module "virtual:careplan-theme" {
  const branding: {
    productName: string;
    support: { name: string; phone: string; url: string; hours: string };
    /** Catalog path → text, function values numbered ({0}, {1}…): i18n/wording.ts. */
    wording: Record<string, string>;
    /** The theme's relay: its URL and its CA certificate's PEM text; absent without a preset. */
    relay?: { url: string; caPem: string; portalUrl?: string };
  };
  export default branding;
  export const logoUrl: string;
}

declare module "virtual:careplan-theme.css";
