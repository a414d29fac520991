// The API console after wallet sign-in: keys, credits and top-up, usage charts, logs, CSV.
import { PageTitle } from "../../components/layout.tsx";

export default function ConsolePage() {
  return <PageTitle title="Console" />;
}
