import type { ComponentType } from "preact";
import { HomePage } from "./pages/home/HomePage.tsx";

/** The signed-in app's pages by path; each page lives in its own folder under pages/. */
export const routes: Record<string, ComponentType> = {
  "/": HomePage,
};
