import { clsx, type ClassValue } from "clsx";
import { twMerge } from "tailwind-merge";

/** Class names with Tailwind conflicts resolved (the last one wins), as shadcn-style components expect. */
export function cn(...inputs: ClassValue[]) {
  return twMerge(clsx(inputs));
}
