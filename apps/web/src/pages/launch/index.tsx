// The launch wizard: template, name, ticker, first buy, fee, approval and launch.
import { PageTitle } from "../../components/layout.tsx";

export default function LaunchPage() {
  return <PageTitle title="Launch a model" />;
}
