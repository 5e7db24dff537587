// Where a user turns when a message on screen does not get them further: the vendor's support
// desk, from the theme the app was built with.
import { support } from "../branding";
import { ja } from "../i18n/ja";

export function SupportContact() {
  return (
    <section className="support-contact" aria-label={ja.support.heading}>
      <h2>{ja.support.heading}</h2>
      <p>
        <span className="support-name">{support.name}</span>
        <br />
        {ja.support.phone}: <span className="support-phone">{support.phone}</span>（{support.hours}）
        <br />
        {ja.support.web}: <span className="support-url">{support.url}</span>
      </p>
    </section>
  );
}
