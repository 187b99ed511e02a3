import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The UI is served from the kura binary (embedded) and from Tauri's custom protocol: relative
// asset paths, no remote content, nothing inlined that the strict CSP would refuse.
export default defineConfig({
  base: "./",
  plugins: [react()],
  build: { outDir: "dist", assetsInlineLimit: 0, sourcemap: false, target: "es2022" },
  test: { environment: "node", include: ["src/**/*.test.ts"] },
});
