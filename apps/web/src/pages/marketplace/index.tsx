// The marketplace: every offering, filtered, sorted, searched, live.
import { PageTitle } from "../../components/layout.tsx";

export default function MarketplacePage() {
  return <PageTitle title="Marketplace" />;
}
