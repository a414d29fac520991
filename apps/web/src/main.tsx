import { QueryClient } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app.tsx";
import "./styles.css";

// Reads refresh every few seconds (the indexer polls the chain each second): live without a socket.
const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: 2_000, refetchInterval: 5_000, retry: 1 } } });

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App queryClient={queryClient} />
  </StrictMode>,
);
