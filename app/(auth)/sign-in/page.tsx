import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth-card";
import { SignInForm } from "@/components/sign-in-form";
import { currentUser } from "@/server/auth/session";
import { signUpEnabled } from "@/server/config";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  if (await currentUser()) redirect("/servers");
  const { callbackUrl } = await searchParams;
  return (
    <AuthCard title="Sign in">
      <SignInForm signUpEnabled={signUpEnabled()} callbackUrl={callbackUrl ?? null} />
    </AuthCard>
  );
}
