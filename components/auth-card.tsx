import type { ReactNode } from "react";
import { ThemeToggle } from "@/components/theme-toggle";

export function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="flex min-h-screen flex-col">
      <div className="flex justify-end p-2">
        <ThemeToggle />
      </div>
      <main className="flex flex-1 items-start justify-center px-4 pt-12 sm:pt-24">
        <div className="w-full max-w-sm rounded-lg border border-zinc-200 p-6 shadow-sm dark:border-zinc-800">
          <p className="mb-1 text-sm font-semibold tracking-tight text-zinc-500">Switchboard</p>
          <h1 className="mb-6 text-xl font-semibold">{title}</h1>
          {children}
        </div>
      </main>
      <footer className="p-4 text-center text-sm text-zinc-500">
        Building against the REST API?{" "}
        <a href="/docs/api" className="underline underline-offset-2 hover:text-zinc-900 dark:hover:text-zinc-100">
          API docs
        </a>
      </footer>
    </div>
  );
}
