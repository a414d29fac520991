// The economic simulator in the browser, and the reward estimator.
import { PageTitle } from "../../components/layout.tsx";

export default function SimulatorPage() {
  return <PageTitle title="Simulator" />;
}
