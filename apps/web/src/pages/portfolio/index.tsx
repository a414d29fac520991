// A wallet's positions, claims, refunds, vesting, stakes, rewards and issuer yield.
import { PageTitle } from "../../components/layout.tsx";

export default function PortfolioPage() {
  return <PageTitle title="Portfolio" />;
}
