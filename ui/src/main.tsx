import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { BackendProvider } from "./backend/BackendContext";
import { tauriBackend } from "./backend/tauriBackend";
import "virtual:careplan-theme.css";
import "./styles.css";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <BackendProvider backend={tauriBackend}>
      <App />
    </BackendProvider>
  </StrictMode>,
);
