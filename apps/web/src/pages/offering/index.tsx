// An offering: curve chart, buy form, countdown, trades, graduate / refund / claim, safety panel.
import { PageTitle } from "../../components/layout.tsx";

export default function OfferingPage() {
  return <PageTitle title="Offering" />;
}
