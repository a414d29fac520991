// A live deployment: model id and snippets, DEX candles, supply, revenue and buybacks per epoch, holders, staking.
import { PageTitle } from "../../components/layout.tsx";

export default function ModelPage() {
  return <PageTitle title="Model" />;
}
