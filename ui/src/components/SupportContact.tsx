// Where a user turns when a message on screen does not get them further: the vendor's support
// desk, from the theme the app was built with.
import { support } from "../branding";
import { ja } from "../i18n";
import { Sentence } from "../i18n/Sentence";
import { SimulationLink } from "./SimulationLink";

export function SupportContact() {
  return (
    <section className="support-contact" aria-label={ja.support.heading}>
      <h2>{ja.support.heading}</h2>
      <p>
        <span className="support-name">{support.name}</span>
        <br />
        <Sentence make={(phone) => ja.support.phoneLine(phone, support.hours)} parts={[<span className="support-phone">{support.phone}</span>]} />
        <br />
        <Sentence make={ja.support.webLine} parts={[<span className="support-url">{support.url}</span>]} />
      </p>
      <SimulationLink />
    </section>
  );
}
