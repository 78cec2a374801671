"use client";
import { Monitor, Moon, Sun } from "lucide-react";
import { useTheme } from "next-themes";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";

const next = { light: "dark", dark: "system", system: "light" } as const;

/** Cycles light → dark → system. Renders a fixed-size placeholder until mounted (no layout shift). */
export function ThemeToggle() {
  const { theme, setTheme } = useTheme();
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const current = (mounted ? theme : "system") as keyof typeof next;
  const Icon = current === "light" ? Sun : current === "dark" ? Moon : Monitor;
  return (
    <Button
      variant="ghost"
      size="icon"
      aria-label={`Theme: ${current}. Switch to ${next[current] ?? "light"}`}
      onClick={() => setTheme(next[current] ?? "light")}
    >
      <Icon className="h-4 w-4" aria-hidden />
    </Button>
  );
}
