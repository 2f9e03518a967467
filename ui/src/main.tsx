import React from "react";
import ReactDOM from "react-dom/client";
import { App } from "./App";
import "@xyflow/react/dist/style.css";
import "./app.css";
import { loadPreferences } from "./window/preferences";

async function start() {
  // Statically false outside `vite build --mode mock`, so the mock and its
  // fixture never reach the production bundle.
  if (import.meta.env.MODE === "mock") {
    const { installMockIpc } = await import("./mock/ipc");
    installMockIpc();
  }
  // Panels open at their remembered sizes, in the remembered theme.
  await loadPreferences();
  ReactDOM.createRoot(document.getElementById("root") as HTMLElement).render(
    <React.StrictMode>
      <App />
    </React.StrictMode>,
  );
}

void start();
